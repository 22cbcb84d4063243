"""helpers.torch_bridge: data cross over transposed, parameters unchanged, and the model it builds computes
helpers.network's logits, cost and gradients (float64, to rounding), with dropout, batch norm and running stats."""
import itertools
import subprocess
import sys

import numpy as np
import pytest

from helpers import datasets, network

torch = pytest.importorskip("torch")
from helpers import torch_bridge as tb  # noqa: E402  (after the importorskip: this module imports torch)


def _problem(seed, output="softmax", batch_norm=False, m=9):
    rng = np.random.default_rng(seed)
    n_y = 1 if output == "sigmoid" else 4
    dims = [5, 6, 3, n_y]
    params = network.initialize_parameters(dims, "he", rng, batch_norm=batch_norm)
    for key in params:
        if key[0] in "bg":  # b, beta, gamma away from their starting values
            params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_y, m), n_y)
    return params, X, Y


def test_rows_and_columns_are_transposes():
    X = np.arange(12.0).reshape(3, 4)  # n_x = 3 features, m = 4 examples
    T = tb.to_rows(X)
    assert tuple(T.shape) == (4, 3) and T.dtype == torch.float64
    np.testing.assert_array_equal(T.numpy(), X.T)
    np.testing.assert_array_equal(tb.to_columns(T), X)
    X[0, 0] = 99.0  # a copy, not a view
    assert T[0, 0].item() == 0.0
    assert tb.to_columns(torch.arange(3.0)).shape == (1, 3)  # (m,) -> (1, m)
    with pytest.raises(ValueError, match="one example per row"):
        tb.to_columns(torch.zeros(2, 2, 2))


def test_class_indices_from_one_hot_and_labels():
    np.testing.assert_array_equal(tb.class_indices(datasets.one_hot(np.array([2, 0, 1]), 3)).numpy(), [2, 0, 1])
    assert tb.class_indices(np.array([[1, 0, 3]])).dtype == torch.int64
    with pytest.raises(ValueError, match="2-D"):
        tb.class_indices(np.array([1, 0]))
    with pytest.raises(ValueError, match="class indices must be in"):  # a negative class is no class
        tb.class_indices(np.array([[1, -1, 3]]))
    with pytest.raises(ValueError, match="one-hot"):  # soft labels have no single class
        tb.class_indices(np.array([[0.7, 0.0], [0.3, 1.0]]))


@pytest.mark.parametrize("hidden, output, batch_norm",
                         list(itertools.product(("relu", "tanh", "sigmoid"), ("sigmoid", "softmax"),
                                                (False, True, (True, False)))))
def test_logits_cost_and_gradients_equal_helpers_network(hidden, output, batch_norm):
    params, X, Y = _problem(len(hidden) + len(output), output, batch_norm)
    lambd = 0.4
    _, cache = network.forward(X, params, hidden, output, batch_norm=batch_norm)
    J, grads = network.compute_cost(cache, Y, lambd), network.backward(cache, Y, lambd)

    model = tb.sequential_from_params(params, hidden, batch_norm=batch_norm)
    ZL = model(tb.to_rows(X))
    np.testing.assert_allclose(tb.to_columns(ZL), cache["layers"][-1]["Z"], rtol=1e-12, atol=1e-14)
    if output == "softmax":
        loss = torch.nn.functional.cross_entropy(ZL, tb.class_indices(Y))
    else:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(ZL, torch.tensor(Y.T, dtype=torch.float64))
    m = X.shape[1]
    loss = loss + lambd / (2 * m) * sum((layer.weight ** 2).sum() for layer in model
                                        if isinstance(layer, torch.nn.Linear))
    loss.backward()
    assert loss.item() == pytest.approx(J, rel=1e-12)
    theirs = tb.grads_from_sequential(model)
    assert theirs.keys() == grads.keys()
    for key in grads:
        np.testing.assert_allclose(theirs[key], grads[key], rtol=1e-10, atol=1e-14, err_msg=key)


def test_parameters_round_trip_and_keep_dtype():
    params, _, _ = _problem(3, batch_norm=(True, False))
    params["b1"] = np.zeros_like(params["b1"])  # unused by a batch-norm layer: comes back as 0
    back = tb.params_from_sequential(tb.sequential_from_params(params, batch_norm=(True, False)))
    assert back.keys() == params.keys()
    for key in params:
        np.testing.assert_array_equal(back[key], params[key], err_msg=key)
    params32 = {k: v.astype(np.float32) for k, v in params.items()}
    model = tb.sequential_from_params(params32, batch_norm=(True, False))
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_dropout_and_modes():
    params, X, _ = _problem(4)
    model = tb.sequential_from_params(params, "relu", keep_prob=(0.8, 0.5))
    drops = [layer.p for layer in model if isinstance(layer, torch.nn.Dropout)]
    assert drops == pytest.approx([0.2, 0.5])  # PyTorch's p is the DROP probability, 1 − keep_prob
    model.eval()  # no dropout: the network's deterministic logits
    np.testing.assert_allclose(tb.to_columns(model(tb.to_rows(X))), network.forward(X, params)[1]["layers"][-1]["Z"],
                               rtol=1e-12)
    model.train()
    torch.manual_seed(0)
    assert not np.allclose(tb.to_columns(model(tb.to_rows(X))), network.forward(X, params)[1]["layers"][-1]["Z"])


def test_running_statistics_cross_over_with_pytorchs_unbiased_variance():
    params, X, _ = _problem(5, batch_norm=True, m=8)
    running = network.initialize_running(params)
    network.forward(X, params, batch_norm=True, running=running)  # one train step updates ours in place
    model = tb.sequential_from_params(params, batch_norm=True)
    model(tb.to_rows(X))
    theirs, m = tb.running_from_sequential(model), X.shape[1]
    for l in (1, 2):
        np.testing.assert_allclose(theirs[f"running_mean{l}"], running[f"running_mean{l}"], rtol=1e-12)
        # ours: 0.9·1 + 0.1·σ², PyTorch's: 0.9·1 + 0.1·σ²·m/(m − 1)
        np.testing.assert_allclose(theirs[f"running_var{l}"] - 0.9, (running[f"running_var{l}"] - 0.9) * m / (m - 1),
                                   rtol=1e-10)
    # test mode with the same running statistics: the same logits
    model = tb.sequential_from_params(params, batch_norm=True, running=running).eval()
    _, cache = network.forward(X, params, batch_norm=True, mode="test", running=running)
    np.testing.assert_allclose(tb.to_columns(model(tb.to_rows(X))), cache["layers"][-1]["Z"], rtol=1e-12)


def test_grads_need_backward_first():
    model = tb.sequential_from_params(_problem(6)[0])
    with pytest.raises(ValueError, match="loss.backward"):
        tb.grads_from_sequential(model)


def test_train_one_epoch_returns_the_example_weighted_mean_loss():
    params, X, Y = _problem(7, m=10)
    model = tb.sequential_from_params(params)
    data = torch.utils.data.TensorDataset(tb.to_rows(X), tb.class_indices(Y))
    loader = torch.utils.data.DataLoader(data, batch_size=4)  # batches of 4, 4, 2
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    # the same three steps in numpy: cost of each batch before its step, then gradient descent
    ours, costs = {k: v.copy() for k, v in params.items()}, []
    for start in (0, 4, 8):
        _, cache = network.forward(X[:, start:start + 4], ours, output="softmax")
        costs.append(network.compute_cost(cache, Y[:, start:start + 4]) * cache["layers"][0]["Z"].shape[1])
        for key, g in network.backward(cache, Y[:, start:start + 4]).items():
            ours[key[1:]] -= 0.1 * g
    mean = tb.train_one_epoch(model, loader, torch.nn.CrossEntropyLoss(), optimizer)
    assert isinstance(mean, float) and mean == pytest.approx(sum(costs) / 10, rel=1e-12)
    for key, value in tb.params_from_sequential(model).items():
        np.testing.assert_allclose(value, ours[key], rtol=1e-10, err_msg=key)


def test_bad_inputs_say_what_was_expected():
    params = _problem(8)[0]
    with pytest.raises(ValueError, match="hidden must be one of"):
        tb.sequential_from_params(params, "gelu")
    with pytest.raises(ValueError, match="gamma1"):
        tb.sequential_from_params(params, batch_norm=True)
    with pytest.raises(ValueError, match="no nn.Linear"):
        tb.params_from_sequential(torch.nn.Sequential(torch.nn.ReLU()))


def test_importing_helpers_does_not_import_torch():
    code = "import sys, helpers, helpers.network, helpers.training; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
