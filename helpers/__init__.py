"""Shared, tested helpers for the Deep Learning Labs notebooks.

Modules: ``datasets`` (toy 2-D sets, the digits, splits, mini-batches), ``network`` (the L-layer net,
forward/backward), ``optim`` (update rules), ``training`` (the loop), ``plotting`` (figures),
``widgets`` (sliders that also leave a static figure), ``checks`` (feedback on exercises),
``experiments`` (sweeps over seeds, tables), ``bias_variance`` (the diagnosis), ``validation`` (input checks with clear errors).
"""
