"""The labs' benchmark: ``python -m bench`` (or ``make bench``) prints tables, never pass/fail.

Sections (each can be run alone with ``--only NAME``, repeatable):

- ``notebooks``: wall time of a fresh-kernel execution of every notebooks/*.ipynb (kernel start to last
  cell, as nbval runs them), the slowest cells, and the total.
- ``sliders``: for every ``helpers.widgets.live`` view of every lab, the median and max time of an
  uncached render at a few positions of each control, its parts (draw, layout + render, PNG), the PNG
  size, the redraw done the old way (constrained layout on every draw) timed alongside, and a revisit
  of a stored frame. Measured in the same kernel right after the lab's last cell, so the labs run
  once for both sections.
- ``browser``: the browser test (JupyterLab + Chromium) run with ``$LABS_LATENCY_JSON``: per lab, the
  time from a key press on a slider to the new image loaded, for new settings and for revisits.
- ``step``: forward + backward + SGD update of the helpers' 784-256-128-10 MLP (batch 512, float32
  and float64) against PyTorch CPU with the same thread count, interleaved in one run, plus the
  step's GFLOP/s against bare matrix multiplies of the same shapes.
- ``gradcheck``: full vs directional gradient check as the parameter count grows (n/a until lab 05
  brings helpers/gradcheck.py).

Options: ``--repeats N`` (timed repetitions per measurement), ``--suite`` (also time the real
``make test`` run, unit tests + nbval). The last table lists every target of the issue with the
measured number and met / MISSED; the load average printed first and last says how busy the machine
was. Timings on a shared 2-core machine are noisy: compare runs taken close together.
"""
