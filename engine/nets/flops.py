"""Analytic floating-point operation counts of a model's forward pass (per image).

Counts multiply-adds as two operations for convolutions and dense layers, which dominate; the
element-wise layers (norms, activations, resizing) add a few percent and are left out.
"""

from __future__ import annotations

import math

import keras


def forward_flops(model: keras.Model) -> int:
    """FLOPs of one forward pass for a single image (batch size 1)."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_flops(layer)
            continue
        kernel = getattr(layer, "kernel", None)
        if kernel is None:
            continue
        output_shape = layer.output.shape
        if isinstance(layer, keras.layers.Conv2D | keras.layers.Conv2DTranspose):
            kernel_h, kernel_w, channels_in, channels_out = _conv_kernel(layer)
            positions = output_shape[1] * output_shape[2]
            if isinstance(layer, keras.layers.Conv2DTranspose):
                positions = layer.input.shape[1] * layer.input.shape[2]
            total += 2 * positions * kernel_h * kernel_w * channels_in * channels_out
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * math.prod(kernel.shape)
    return total


def _conv_kernel(layer) -> tuple[int, int, int, int]:
    shape = tuple(layer.kernel.shape)
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return shape[0], shape[1], shape[3], shape[2]
    return shape
