"""LesionLab's engine: everything the app, the CLI and the scripts do, usable from Python.

TensorFlow turns its oneDNN CPU kernels on by itself only on CPUs with AVX-512 VNNI or BF16 or
AMX; on AVX2-only CPUs they stay off although they are faster there too (`bench/train.py`
measures both). This runs before any engine module imports TensorFlow; a caller that sets
TF_ENABLE_ONEDNN_OPTS=0 keeps TensorFlow's own kernels.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
