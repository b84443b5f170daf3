/* Passkeys on the team's login and add-passkey pages (amparo/web/team/passkeys.py).
 *
 * The page carries the ceremony's options, made by the server, in <script type="application/json"
 * id="passkey-options">; this script asks the browser for a passkey with them, puts the browser's
 * answer (JSON, base64url, as Duo's webauthn library reads it) into the form's hidden "passkey" field
 * and sends the form. It fetches nothing and writes no markup: the site's CSP allows neither. Without
 * WebAuthn in the browser the passkey part stays hidden and the form works as before. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-passkey]");
  var source = document.getElementById("passkey-options");
  if (!form || !source || !window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  var part = form.querySelector(".passkey");
  var start = form.querySelector("[data-passkey-start]");
  var status = form.querySelector("[data-passkey-status]");
  var answer = form.querySelector("input[name=passkey]");
  var options = JSON.parse(source.textContent);

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return { type: d.type, id: toBytes(d.id), transports: d.transports };
    });
  }

  function creation() {
    var o = Object.assign({}, options);
    o.challenge = toBytes(options.challenge);
    o.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    o.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: o });
  }

  function request() {
    var o = Object.assign({}, options);
    o.challenge = toBytes(options.challenge);
    o.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: o });
  }

  function serialise(credential) {
    var r = credential.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = toText(r.userHandle);
    }
    return JSON.stringify({
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    });
  }

  function missing() {
    var fields = form.querySelectorAll("input[required], input[name=username], input[name=password]");
    return Array.prototype.some.call(fields, function (f) {
      return f.type !== "hidden" && !f.value;
    });
  }

  part.hidden = false;
  start.addEventListener("click", function () {
    if (missing()) {
      form.submit(); // the server says which answers are missing, as without a passkey
      return;
    }
    start.disabled = true;
    status.textContent = "";
    var ceremony = form.dataset.passkey === "register" ? creation() : request();
    ceremony.then(
      function (credential) {
        answer.value = serialise(credential);
        form.submit();
      },
      function () {
        start.disabled = false;
        status.textContent = status.dataset.cancelled;
      }
    );
  });
})();
