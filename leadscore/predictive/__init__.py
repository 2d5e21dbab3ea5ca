"""Predictive scoring: learn a readable points model from won/lost history, and measure any model.

``fit_model`` learns a model file from past leads and their outcomes; ``evaluate_model`` measures
how well any model (learnt or hand-written) ranks leads that converted above those that did not.
"""
