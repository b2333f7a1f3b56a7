"""Data sets: readers (HAM10000, ISIC 2024, ISIC 2019/2020, folder per class), writers,
group splits and (in engine.datasets.pipeline, which imports TensorFlow) the tf.data pipeline.
"""

from engine.datasets.base import DatasetReader, Record
from engine.datasets.errors import BadInputError, DatasetReport
from engine.datasets.registry import FORMATS, open_dataset
from engine.datasets.splits import split_by_group
from engine.datasets.writers import open_writer

__all__ = ["FORMATS", "BadInputError", "DatasetReader", "DatasetReport", "Record",
           "open_dataset", "open_writer", "split_by_group"]
