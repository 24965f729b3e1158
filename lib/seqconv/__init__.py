"""seqconv: convolutions on sequences in vectorized NumPy, the library of the course
"Convolutions Beyond Images".

Conventions: a sequence is time-major ``X`` of shape ``(n, c)``, a batch ``(B, n, c)``;
a kernel is ``K`` of shape ``(s, c_in, c_out)``; convolution means cross-correlation
(no flip), as in PyTorch. float32 stays float32; integer input is computed in float64.

Modules: ``conv`` (1D convolution, padding modes, dilation, stride, receptive field),
``forecast`` (a causal-CNN forecaster), ``spectral`` (frames, windows, STFT, dB),
``padding`` (variable-length batches and masks), ``text`` (tokenizers, vocabulary,
embeddings, a text CNN), ``plotting`` (the notebooks' shared plots), ``gradcheck``
(``rel_error``, centred-difference gradients) and ``checks`` (the exercises' test helpers).
"""

from . import checks, conv, forecast, gradcheck, padding, plotting, spectral, text
from .conv import (
    conv1d,
    conv1d_causal,
    conv1d_dilated_causal,
    conv1d_output_length,
    conv1d_valid,
    receptive_field,
)
from .gradcheck import numerical_gradient, rel_error
from .padding import lengths_to_mask, pad_batch
from .spectral import amplitude_to_db, stft_mag
from .text import Vocab

__version__ = "0.1.0"

__all__ = [
    "checks",
    "conv",
    "forecast",
    "gradcheck",
    "padding",
    "plotting",
    "spectral",
    "text",
    "conv1d",
    "conv1d_valid",
    "conv1d_causal",
    "conv1d_dilated_causal",
    "conv1d_output_length",
    "receptive_field",
    "rel_error",
    "numerical_gradient",
    "pad_batch",
    "lengths_to_mask",
    "stft_mag",
    "amplitude_to_db",
    "Vocab",
]
