"""The built-in strategies, each a factory ``(random_state, context) -> estimator``.

Every strategy starts with the preprocessing the data need
(:meth:`StrategyContext.pipeline`); logistic regression is also scaled.
Resamplers sit inside the pipeline, so they act on training rows only, and
threshold moving wraps the whole pipeline, so its inner cross-validation
also refits the preprocessing on inner training rows only.
"""

from __future__ import annotations

from functools import partial

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from ..combine import SMOTEENN, SMOTETomek
from ..decision import CostSensitiveClassifier, ThresholdMovingClassifierCV
from ..ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
    SMOTEBaggingClassifier,
)
from ..over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from ..under_sampling import RandomUnderSampler, TomekLinks
from ._registry import register_strategy

__all__ = []

_LEARNER_NAMES = {
    "lr": "logistic regression (scaled)",
    "hgb": "histogram gradient boosting",
    "rf": "random forest",
}


def _learner(name, random_state, **params):
    if name == "lr":
        return LogisticRegression(max_iter=1000, random_state=random_state, **params)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=random_state, **params)
    return RandomForestClassifier(random_state=random_state, **params)


def _plain(name, random_state, context, **params):
    return context.pipeline(_learner(name, random_state, **params), scale=name == "lr")


def _threshold(name, random_state, context):
    return ThresholdMovingClassifierCV(
        _plain(name, random_state, context), cv=context.inner_cv(),
        **context.threshold_options,
    )


def _cost(name, random_state, context):
    return CostSensitiveClassifier(_plain(name, random_state, context), context.cost_matrix)


def _sampler(kind, random_state, context):
    k = context.k_neighbors()
    if kind == "ros":
        return RandomOverSampler(random_state=random_state)
    if kind == "rus":
        return RandomUnderSampler(random_state=random_state)
    if kind == "smote":
        return SMOTE(k_neighbors=k, random_state=random_state)
    if kind == "borderline_smote":
        return BorderlineSMOTE(k_neighbors=k, random_state=random_state)
    if kind == "adasyn":
        return ADASYN(n_neighbors=k, random_state=random_state)
    if kind == "smote_enn":
        return SMOTEENN(smote=SMOTE(k_neighbors=k, random_state=random_state),
                        random_state=random_state)
    if kind == "smote_tomek":
        return SMOTETomek(smote=SMOTE(k_neighbors=k, random_state=random_state),
                          random_state=random_state)
    return TomekLinks()


def _resampled(name, kind, random_state, context):
    return context.pipeline(
        _sampler(kind, random_state, context), _learner(name, random_state),
        scale=name == "lr",
    )


def _ensemble(kind, random_state, context):
    if kind == "brf":
        model = BalancedRandomForestClassifier(random_state=random_state)
    elif kind == "easy_ensemble":
        model = EasyEnsembleClassifier(random_state=random_state)
    elif kind == "rusboost":
        model = RUSBoostClassifier(random_state=random_state)
    elif kind == "balanced_bagging":
        model = BalancedBaggingClassifier(random_state=random_state)
    else:
        model = SMOTEBaggingClassifier(k_neighbors=context.k_neighbors(),
                                       random_state=random_state)
    return context.pipeline(model)


def _focal(random_state, context):
    from .. import gbdt  # only reached when the registry found the module

    return context.pipeline(gbdt.FocalLGBMClassifier(random_state=random_state))


_SAMPLERS = {
    "ros": "random over-sampling",
    "rus": "random under-sampling",
    "smote": "SMOTE",
    "borderline_smote": "Borderline-SMOTE",
    "adasyn": "ADASYN",
    "smote_enn": "SMOTE then edited nearest neighbours",
    "smote_tomek": "SMOTE then Tomek links removal",
    "tomek": "Tomek links removal",
}
_ENSEMBLES = {
    "brf": ("rf", "balanced random forest"),
    "easy_ensemble": ("adaboost", "EasyEnsemble: AdaBoost on balanced subsets"),
    "rusboost": ("adaboost", "RUSBoost: boosting with random under-sampling"),
    "balanced_bagging": ("tree", "bagging of trees on balanced bootstraps"),
    "smote_bagging": ("tree", "SMOTEBagging: bagging of trees on SMOTE bootstraps"),
}


def _register_builtins():
    for name, text in _LEARNER_NAMES.items():
        register_strategy(name, partial(_plain, name), family="baseline", learner=name,
                          description=text)
        register_strategy(f"{name}+balanced", partial(_plain, name, class_weight="balanced"),
                          family="weighting", learner=name,
                          description=f"{text}, class_weight='balanced'")
        register_strategy(f"{name}+threshold", partial(_threshold, name), family="threshold",
                          learner=name,
                          description=f"{text}, decision threshold tuned by inner CV")
        register_strategy(f"{name}+cost", partial(_cost, name), family="cost", learner=name,
                          requires_cost=True,
                          description=f"{text}, minimum expected cost decisions")
    for kind, text in _SAMPLERS.items():
        for name, learner_text in _LEARNER_NAMES.items():
            register_strategy(f"{name}+{kind}", partial(_resampled, name, kind),
                              family="resampling", learner=name,
                              description=f"{text}, then {learner_text}")
    for kind, (learner, text) in _ENSEMBLES.items():
        register_strategy(kind, partial(_ensemble, kind), family="ensemble", learner=learner,
                          description=text)
    register_strategy("lgbm+focal", _focal, family="loss", learner="lgbm",
                      requires=("lightgbm", "imbkit.gbdt"), install='pip install "imbkit[gbdt]"',
                      description="LightGBM with a focal-loss objective")


_register_builtins()
