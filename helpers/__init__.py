"""Shared, tested helpers for the Deep Learning Labs notebooks.

Modules: ``datasets`` (toy 2-D sets, the digits, splits, mini-batches), ``network`` (the L-layer net,
forward/backward, L2, dropout, batch norm), ``optim`` (update rules), ``schedules`` (learning-rate decay),
``training`` (the loop), ``averages`` (exponentially weighted averages), ``landscapes`` (2-D surfaces and
trajectories), ``critical_points`` (minima and saddles), ``gradcheck``, ``diagnostics``, ``augmentation``,
``plotting`` (figures), ``widgets`` (sliders that also leave a static figure), ``progress`` (a progress bar for
long cells), ``checks`` (feedback on exercises; the learner's function drives the lab once it passes),
``experiments`` (sweeps over seeds, tables), ``bias_variance`` (the diagnosis), ``validation`` (input checks
with clear errors).
"""
