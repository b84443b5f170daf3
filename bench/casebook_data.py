"""The seeded casebook the casebook benchmark loads: cases, incidents, engagements, requests, follow-ups, risk.

Text comes from a vocabulary of real English, Spanish and French words and invented names and places
(accents included) with Zipf-like frequencies; dates span five years; issuers, missions, threats and
support types come from the guidelines dataset. Ids are seeded too, so runs are comparable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from itertools import accumulate

from amparo.casebook import records as rec
from amparo.guidelines import get_dataset

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)  # fixed, so overdue follow-ups and open requests are reproducible
YEARS = 5

# Cases are mostly about countries where defenders ask missions for support.
COUNTRIES = (
    "HN", "GT", "MX", "CO", "BR", "PE", "NI", "VE", "SV", "EC", "BO", "PH", "KH", "MM", "VN", "TH", "ID",
    "IN", "PK", "BD", "LK", "KE", "UG", "TZ", "ZW", "CM", "CD", "NG", "ET", "SD", "EG", "TN", "MA", "TR",
    "AZ", "GE", "BY", "RU", "KZ", "TJ",
)  # fmt: skip
# The casebook's people, places and subjects, in the three languages its users write in most.
_WORDS = """
the of and to in a was that for on with were by at from they he she his her their said after before again police army
court judge lawyer hearing trial charges detained arrested released threat threatened message messages phone call
calls visit visited office home house village community river land company mine dam project security guards soldiers
officers prosecutor journalist defender defenders leader leaders women men children family families meeting embassy
consulate mission ambassador diplomat statement observers observation report reports photos video evidence witness
witnesses night morning week month years road car motorbike followed surveillance stigmatisation campaign online
accounts social media harassment detention prison release bail appeal case file documents protection measures request
requested asked support urgent risk safe relocation shelter medical injuries hospital clinic burned destroyed fence
cattle crops water forest logging palm oil indigenous territory consultation eviction notice mayor governor ministry
interior foreign affairs human rights defenders organisation network de la el los las en y que por con para una un del
se su sus al como más pero fue han desde comunidad defensora defensor defensoras amenaza amenazas denuncia denuncias
policía ejército fiscalía juez jueza abogada abogado audiencia juicio cargos detenido detenida detención cárcel
liberación fianza apelación embajada consulado misión embajador reunión declaración observación informe fotos testigo
testigos noche mañana semana mes años camino carro moto seguimiento vigilancia estigmatización campaña cuentas redes
sociales hostigamiento protección medidas solicitud urgente riesgo refugio heridas hospital quemaron destruyeron cerca
ganado cultivos agua bosque territorio consulta desalojo alcalde gobernador ministerio derechos humanos organización
señal compañeros compañeras niños niñas pueblo indígena tierra río minería represa empresa guardias seguridad soldados
oficiales periodista lideresa líder líderes mujeres hombres familia familias sindicato campesinos campesinas
acompañamiento visita llamada llamadas mensaje mensajes le les des et à en un une du pour avec sur par dans qui est
été ont après avant encore aussi communauté défenseure défenseur défenseurs défenseures menace menaces plainte
plaintes gendarmerie armée procureur juge avocate avocat audience procès accusations détenu détenue détention prison
libération caution appel ambassade consulat mission ambassadeur réunion déclaration observation rapport photos témoin
témoins nuit matin semaine mois années route voiture moto filature surveillance stigmatisation campagne comptes
réseaux sociaux harcèlement protection mesures demande urgente risque hébergement blessures hôpital brûlé détruit
clôture bétail cultures eau forêt territoire consultation expulsion maire préfet ministère intérieur étrangères droits
homme sécurité soldats agents journaliste dirigeante dirigeant femmes hommes enfants famille familles syndicat paysans
paysannes accompagnement visite appel appels message messages écoles élèves menacé menacée arrêté arrêtée relâché
relâchée reçu reçue envoyé envoyée déposé déposée São João Ñuñoa Bogotá Tegucigalpa Medellín Cúcuta Mérida Yaoundé
Lomé Ségou Kinshasa Goma Bukavu
"""
WORDS = _WORDS.split()
_SYLLABLES = (
    "ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga go gu ja je jo la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo ya yo za zo "
    "an en in on ar er ir or al el il ol tan ten tin ton mar mer san sen lan len"
)
SYLLABLES = _SYLLABLES.split()
ACCENTS = {"a": "áàâã", "e": "éèêë", "i": "íî", "o": "óôõ", "u": "úüù", "n": "ñ", "c": "ç"}
ROLES = (
    "human rights focal point", "deputy head of mission", "political officer", "ambassador", "consul",
    "first secretary", "programme officer", "press attaché", "head of the political section", "intern",
)  # fmt: skip
REQUEST_OUTCOMES = ("draft", "sent", "acknowledged", "support-given", "declined", "no-answer")


# -- the generated casebook ------------------------------------------------------


class Words:
    """A seeded vocabulary with a Zipf-like frequency: real words first, then invented names and places."""

    def __init__(self, rng: random.Random, size: int) -> None:
        words = list(dict.fromkeys(w.lower() for w in WORDS))
        seen = set(words)
        while len(words) < size:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if rng.random() < 0.25:  # an accented letter, as in the names and places of the region
                i = rng.randrange(len(word))
                if word[i] in ACCENTS:
                    word = word[:i] + rng.choice(ACCENTS[word[i]]) + word[i + 1 :]
            if word not in seen:
                seen.add(word)
                words.append(word)
        head, tail = words[:60], words[60:]  # the commonest function words stay common
        rng.shuffle(tail)
        self.words, self.rng = head + tail, rng
        self.cum = list(accumulate(1 / (rank + 1) for rank in range(len(self.words))))

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(6, 18))
        return " ".join(words).capitalize() + "."

    def text(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def name(self) -> str:
        return " ".join(w.capitalize() for w in self.rng.choices(self.words[300:], k=2))


class Generator:
    """Everything the casebook holds, made from one seed; ids are seeded too, so runs are comparable."""

    def __init__(self, seed: int, vocabulary: int = 3000) -> None:
        self.rng = random.Random(seed)
        self.words = Words(self.rng, vocabulary)
        dataset = get_dataset()
        self.issuers = sorted(dataset.issuers)
        self.missions = {c: [(m.issuer_id, m.id) for m in dataset.missions_serving(c)] for c in COUNTRIES}
        for missions in self.missions.values():  # in each country a few missions get most of the visits
            self.rng.shuffle(missions)
        self.weights = {c: list(accumulate(1 / (i + 1) for i in range(len(m)))) for c, m in self.missions.items()}
        self.threats, self.subjects, self.fields = (list(dataset.situations[k]) for k in ("threat", "subject", "field"))
        self.support = list(dataset.support_types)
        self.start = NOW.date() - dt.timedelta(days=365 * YEARS)

    def day(self, after: dt.date) -> dt.date:
        return after + dt.timedelta(days=self.rng.randrange(max(1, (NOW.date() - after).days)))

    def stamp(self, on: dt.date) -> str:
        moment = dt.datetime.combine(on, dt.time(self.rng.randrange(7, 22), self.rng.randrange(60)), dt.UTC)
        return min(moment, NOW).isoformat(timespec="seconds")

    def stamps(self, stamp: str) -> dict[str, str]:
        return {"id": f"{self.rng.getrandbits(64):016x}", "created_at": stamp, "updated_at": stamp}

    def where(self, case: rec.Case) -> tuple[str, str]:
        """An issuer and mission for this case: one serving its country, or (sometimes) a capital, no mission."""
        missions = self.missions.get(case.country)
        if missions and self.rng.random() < 0.85:
            return self.rng.choices(missions, cum_weights=self.weights[case.country])[0]
        return self.rng.choice(self.issuers), ""

    def casebook(self, n_cases: int, n_records: int, n_requests: int, n_follow: int, n_risk: int) -> dict:
        rng, words, today = self.rng, self.words, NOW.date()
        cases = []
        for _ in range(n_cases):
            opened = self.start + dt.timedelta(days=rng.randrange(365 * YEARS - 30))
            created = self.stamp(opened)
            case = rec.Case(words.name(), rng.choice(self.subjects), rng.choice(COUNTRIES), rng.choice(self.fields),
                            words.text(1, 3), rng.random() < 0.15, **self.stamps(created))  # fmt: skip
            cases.append(dataclasses.replace(case, updated_at=self.stamp(self.day(opened))))
        weights = [rng.lognormvariate(0, 1) for _ in cases]  # a few cases hold much more than most, as real ones do
        opened = {c.id: dt.date.fromisoformat(c.created_at[:10]) for c in cases}
        out: dict[str, list[rec.Record]] = {"case": cases, "incident": [], "engagement": []}
        for case in rng.choices(cases, weights=weights, k=n_records):
            on = self.day(opened[case.id])
            stamp = self.stamp(on + dt.timedelta(days=rng.randrange(3)))
            if rng.random() < 0.5:
                out["incident"].append(
                    rec.Incident(case.id, on, rng.choice(self.threats), rng.choice(list(rec.ACTOR_KINDS)),
                                 words.text(1, 1)[:80], words.text(2, 5),
                                 f"photos and notes in folder {rng.randrange(1, 400)}" if rng.random() < 0.6 else "",
                                 **self.stamps(stamp))
                )  # fmt: skip
            else:
                issuer, mission = self.where(case)
                out["engagement"].append(
                    rec.Engagement(case.id, on, issuer, mission, rng.choice(list(rec.CHANNELS)), rng.choice(ROLES),
                                   words.text(2, 4), tuple(rng.sample(self.support, rng.randint(1, 3))),
                                   words.text(1, 2), **self.stamps(stamp))
                )  # fmt: skip
        out["request"] = requests = []
        for case in rng.choices(cases, weights=weights, k=n_requests):
            issuer, mission = self.where(case)
            drafted = self.day(opened[case.id])
            age = (today - drafted).days
            if age < 90:  # recent requests are still open, mostly
                status = rng.choice(("draft", "sent", "sent", "acknowledged", "support-given", "declined"))
            else:  # older ones were answered, or are forgotten in an open state now and then
                status = rng.choices(REQUEST_OUTCOMES, weights=(2, 4, 3, 60, 12, 19))[0]
            sent = None if status == "draft" else drafted + dt.timedelta(days=rng.randrange(0, min(age, 14) + 1))
            answered = None
            if status not in ("draft", "sent", "no-answer") and sent is not None:
                answered = sent + dt.timedelta(days=rng.randrange(0, max(1, min((today - sent).days, 60))))
            stamp = self.stamp(drafted)
            requests.append(
                rec.Request(case.id, issuer, tuple(rng.sample(self.support, rng.randint(1, 3))), mission, status,
                            drafted, sent, answered, words.text(1, 3), **self.stamps(stamp))
            )  # fmt: skip
        by_case: dict[str, list[rec.Request]] = {}
        for request in requests:
            by_case.setdefault(request.case_id, []).append(request)
        out["follow-up"] = follow = []
        for case in rng.choices(cases, weights=weights, k=n_follow):
            due, linked, done = self.day(opened[case.id]), by_case.get(case.id), None
            if due < today and rng.random() < 0.92:  # most past follow-ups were done; a few are overdue
                done = min(today, due + dt.timedelta(days=rng.randrange(-5, 10)))
            stamp = self.stamp(max(opened[case.id], due - dt.timedelta(days=rng.randrange(1, 30))))
            what = words.sentence()
            link = rng.choice(linked).id if linked and rng.random() < 0.4 else ""
            follow.append(rec.FollowUp(case.id, due, what, link, done, **self.stamps(stamp)))
        out["risk"] = risk = []
        for case in rng.choices(cases, weights=weights, k=n_risk):
            on = self.day(opened[case.id])
            stamp = self.stamp(on)
            scores = (rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5))
            risk.append(rec.RiskAssessment(case.id, on, *scores, words.text(1, 3), **self.stamps(stamp)))
        return out
