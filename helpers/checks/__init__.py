"""Feedback for the labs' exercises, one module per lab topic.

Each ``check_<thing>(learner_function)`` runs the learner's function on several cases against the
reference in helpers, prints one line, and returns True/False. A failure line names the first case
that went wrong and a specific hint (wrong shape, examples as rows, forgot 1/m, wrong sign, ...).
A function that still raises NotImplementedError is reported as "not done yet".
Shared pieces live in ``_core``: ``_call`` (run the learner's code safely), ``_result`` (the line), and
``use_if_passed`` (the learner's function drives the rest of the lab once its check passes).
"""
from ._core import use_if_passed  # noqa: F401
from .batchnorm import check_batchnorm_backward, check_batchnorm_forward  # noqa: F401
from .bias_variance import check_diagnose, check_split  # noqa: F401
from .dropout import check_backward_with_dropout, check_forward_with_dropout  # noqa: F401
from .framework import check_train_one_epoch  # noqa: F401
from .gradient_checking import check_directional_difference, check_gradient_check  # noqa: F401
from .initialization import check_activation_stds, check_initialize_he_uniform  # noqa: F401
from .minibatches import check_ewa, check_random_mini_batches  # noqa: F401
from .optimizers import check_adam, check_momentum, check_rmsprop  # noqa: F401
from .regularization import check_add_l2_to_gradients, check_compute_cost_with_l2  # noqa: F401
from .schedules import check_inverse_time_decay  # noqa: F401
from .search import check_sample_beta, check_sample_log_uniform  # noqa: F401
from .softmax import check_softmax, check_softmax_cost  # noqa: F401
