"""The guidelines knowledge base: load, validate, index and export the dataset.

Pure Python, no Django: the CLI, the JSON API, the site and the offline edition
all read the same immutable :class:`~amparo.guidelines.model.Dataset`.
"""

from amparo.guidelines.errors import DataError, DataProblem
from amparo.guidelines.loader import DATA_DIR, get_dataset, load_dataset
from amparo.guidelines.model import Dataset

__all__ = ["DATA_DIR", "DataError", "DataProblem", "Dataset", "get_dataset", "load_dataset"]
