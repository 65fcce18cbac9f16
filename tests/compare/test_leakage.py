"""No resampling, preprocessing or threshold tuning ever sees a test fold.

Column 0 of X holds each row's id. Recording steps log the ids of every
batch of rows they are fitted on, transform or predict, and the progress
callback marks which (strategy, fold) each log entry belongs to: with
``n_jobs=1`` the fits run one after the other, in the order reported.
"""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.linear_model import LogisticRegression

from imbkit.compare import Strategy, compare_strategies, get_strategy
from imbkit.pipeline import Pipeline
from imbkit.under_sampling import RandomUnderSampler

LOG = []


def _ids(X):
    return np.asarray(X)[:, 0].round().astype(int)


class IdRecorder(TransformerMixin, BaseEstimator):
    """Identity transformer logging the row ids it sees."""

    def __init__(self, tag="rec"):
        self.tag = tag

    def fit(self, X, y=None):
        self.fit_ids_ = _ids(X)
        LOG.append(("fit", self.tag, self.fit_ids_))
        return self

    def transform(self, X):
        LOG.append(("transform", self.tag, _ids(X)))
        return X


class IdClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on the columns after the id, logging the row ids it sees."""

    def fit(self, X, y):
        self.fit_ids_ = _ids(X)
        LOG.append(("fit", "clf", self.fit_ids_))
        self.model_ = LogisticRegression().fit(np.asarray(X)[:, 1:], y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        LOG.append(("predict", "clf", _ids(X)))
        return self.model_.predict_proba(np.asarray(X)[:, 1:])

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _recorded_rus(random_state, context):
    return context.pipeline(
        IdRecorder("before"), RandomUnderSampler(random_state=random_state),
        IdRecorder("after"), IdClassifier(),
    )


def _recorded_threshold(random_state, context):
    """The built-in threshold-moving strategy with a recorder in front of its pipeline."""
    tuner = get_strategy("lr+threshold").factory(random_state, context)
    steps = [("rec", IdRecorder("threshold")), *tuner.estimator.steps]
    return tuner.set_params(estimator=Pipeline(steps))


STRATEGIES = [
    Strategy("recorded_rus", _recorded_rus, family="resampling"),
    Strategy("recorded_threshold", _recorded_threshold, family="threshold", learner="lr"),
]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(120, dtype=int), np.ones(30, dtype=int)]
    rng.shuffle(y)
    X = rng.normal(size=(150, 4)) + y[:, None]
    return np.column_stack([np.arange(150), X]), y


@pytest.fixture(scope="module")
def run(data):
    X, y = data
    LOG.clear()
    marks = []
    result = compare_strategies(
        X, y, STRATEGIES, n_repeats=1, n_jobs=1, return_estimators=True,
        progress=lambda done, total, label: marks.append((len(LOG), label)),
    )
    starts = [0] + [m[0] for m in marks[:-1]]
    logs = {label: LOG[a:b] for a, (b, label) in zip(starts, marks)}
    return result, logs


def _entries(log, kind, tag):
    return [ids for k, t, ids in log if k == kind and t == tag]


def test_no_leak_tasks_are_logged_in_order(run):
    result, logs = run
    assert list(logs) == [f"{name} (repeat 1, fold {f})" for name in
                          ("recorded_rus", "recorded_threshold") for f in range(1, 6)]
    assert [len(s[3]) for s in result.splits] == [30] * 5


def test_no_leak_resampling_sees_exactly_the_training_rows(run, data):
    result, logs = run
    y = data[1]
    for repeat, fold, train, test in result.splits:
        log = logs[f"recorded_rus (repeat 1, fold {fold + 1})"]
        before = _entries(log, "fit", "before")
        after = _entries(log, "fit", "after")
        clf = _entries(log, "fit", "clf")
        assert (len(before), len(after), len(clf)) == (1, 1, 1)
        # the sampler's input: the training part, row for row
        assert np.array_equal(before[0], train)
        # its output: every minority training row and as many majority ones, all training rows
        minority = train[y[train] == 1]
        assert len(after[0]) == 2 * len(minority) == 48
        assert set(after[0]) <= set(train)
        assert set(minority) <= set(after[0])
        assert np.array_equal(clf[0], after[0])
        fitted = result.estimators[("recorded_rus", repeat, fold)]
        sampler = fitted.named_steps["randomundersampler"]
        assert np.array_equal(train[sampler.sample_indices_], after[0])
        # the test rows are only predicted, never fitted on
        for kind, _, ids in log:
            if kind == "fit":
                assert not set(ids) & set(test)
        predicted = _entries(log, "predict", "clf")
        assert len(predicted) == 2  # predict and predict_proba
        assert all(np.array_equal(ids, test) for ids in predicted)
        transformed = _entries(log, "transform", "before")
        assert [len(ids) for ids in transformed] == [len(train), len(test), len(test)]


def test_no_leak_threshold_tuning_sees_training_rows_only(run):
    result, logs = run
    for repeat, fold, train, test in result.splits:
        log = logs[f"recorded_threshold (repeat 1, fold {fold + 1})"]
        fits = _entries(log, "fit", "threshold")
        # five inner folds of the training part, then the refit on all of it
        assert len(fits) == 6
        full = [ids for ids in fits if np.array_equal(np.sort(ids), np.sort(train))]
        inner = [ids for ids in fits if len(ids) < len(train)]
        assert (len(full), len(inner)) == (1, 5)
        held_out = [np.setdiff1d(train, ids) for ids in inner]
        assert sorted(len(v) for v in held_out) == [24] * 5
        assert np.array_equal(np.sort(np.concatenate(held_out)), np.sort(train))
        for ids in fits:
            assert set(ids) <= set(train) and not set(ids) & set(test)
        # inner validation predictions stay within the training part; the test
        # rows are seen only to be predicted by the tuned model
        for ids in _entries(log, "transform", "threshold"):
            assert set(ids) <= set(train) or np.array_equal(ids, test)
        assert sum(np.array_equal(ids, test) for ids in
                   _entries(log, "transform", "threshold")) == 2
        fitted = result.estimators[("recorded_threshold", repeat, fold)]
        assert np.array_equal(fitted.estimator_.named_steps["rec"].fit_ids_, train)


def test_no_leak_threshold_predictions_use_the_tuned_threshold(run, data):
    result, _ = run
    y = data[1]
    oof = result.oof["recorded_threshold"]
    for repeat, fold, _, test in result.splits:
        fitted = result.estimators[("recorded_threshold", repeat, fold)]
        positive = oof["y_score"][repeat, test, 1] >= fitted.best_threshold_
        assert np.array_equal(oof["y_pred"][repeat, test], np.where(positive, 1, 0))
    assert len({result.estimators[("recorded_threshold", 0, f)].best_threshold_
                for f in range(5)}) > 1
    assert set(np.unique(y)) == {0, 1}


def test_no_leak_with_parallel_jobs(data):
    X, y = data
    result = compare_strategies(X, y, STRATEGIES[:1], n_repeats=1, n_jobs=2,
                                return_estimators=True, progress=False)
    for repeat, fold, train, _ in result.splits:
        fitted = result.estimators[("recorded_rus", repeat, fold)]
        assert np.array_equal(fitted.named_steps["idrecorder-1"].fit_ids_, train)
        assert set(fitted.named_steps["idrecorder-2"].fit_ids_) <= set(train)
