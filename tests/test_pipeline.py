"""imbkit.pipeline: samplers act in fit only; metadata follow the resampled rows.

imbalanced-learn's Pipeline is the oracle for predictions, grid searches and
``fit_resample``; the samplers inside both pipelines are imbkit's own.
"""

import subprocess
import sys
import textwrap
import uuid

import numpy as np
import pandas as pd
import pytest
import sklearn
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.pipeline import make_pipeline as imb_make_pipeline
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbkit import FunctionSampler
from imbkit.base import BaseSampler
from imbkit.exceptions import InvalidInputError
from imbkit.over_sampling import SMOTE, RandomOverSampler
from imbkit.pipeline import Pipeline, make_pipeline
from imbkit.under_sampling import RandomUnderSampler

# ---------------------------------------------------------------- helpers


def _data(n_samples=120, weights=(0.8,), random_state=0):
    return make_classification(
        n_samples=n_samples, n_features=5, n_informative=3, weights=list(weights),
        random_state=random_state,
    )


class CountingSampler(BaseSampler):
    """Keeps the even-numbered rows of class 0 and every other row; counts calls."""

    _sampling_type = "bypass"

    def _fit_resample(self, X, y):
        self.n_calls_ = getattr(self, "n_calls_", 0) + 1
        self.sample_indices_ = np.flatnonzero((y != 0) | (np.arange(len(y)) % 2 == 0))
        return X[self.sample_indices_], y[self.sample_indices_]


class WeightedSampler(BaseSampler):
    """Keeps the rows whose weight is above the median; asks for weights in fit."""

    _sampling_type = "bypass"

    def fit(self, X, y, sample_weight=None):
        return super().fit(X, y)

    def _fit_resample(self, X, y, sample_weight=None):
        self.seen_weight_ = np.array(sample_weight, copy=True)
        self.sample_indices_ = np.flatnonzero(sample_weight > np.median(sample_weight))
        return X[self.sample_indices_], y[self.sample_indices_]


class WrongIndicesSampler(BaseSampler):
    """Records a sample_indices_ that does not match the rows it returns."""

    _sampling_type = "bypass"

    def _fit_resample(self, X, y):
        self.sample_indices_ = np.arange(3)
        return X[:6], y[:6]


class StampSampler(BaseSampler):
    """Keeps every row, recording a random stamp per fit (to detect cache hits)."""

    _sampling_type = "bypass"

    def _fit_resample(self, X, y):
        self.stamp_ = uuid.uuid4().hex
        self.sample_indices_ = np.arange(len(y))
        return X, y


class StampTransformer(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.stamp_ = uuid.uuid4().hex
        return self

    def transform(self, X):
        return X


class FitThenTransform(BaseEstimator):
    """A transformer without fit_transform that records the y it was fitted on."""

    def fit(self, X, y=None):
        self.fit_y_ = np.asarray(y).copy()
        return self

    def transform(self, X):
        return np.asarray(X) * 2.0


class TransformAndResample(BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X

    def fit_resample(self, X, y):
        return X, y


class Recorder(ClassifierMixin, BaseEstimator):
    """Records the rows, labels and metadata it is fitted on and predicts on."""

    def fit(self, X, y, sample_weight=None, tag=None):
        self.classes_ = np.unique(y)
        self.fit_rows_ = len(X)
        self.fit_y_ = np.asarray(y).copy()
        self.sample_weight_ = None if sample_weight is None else np.asarray(sample_weight)
        self.tag_ = tag
        self.calls_ = []
        return self

    def _called(self, method, X):
        self.calls_.append((method, len(X)))
        return len(X)

    def predict(self, X):
        return np.full(self._called("predict", X), self.classes_[0])

    def predict_proba(self, X):
        n_classes = len(self.classes_)
        return np.full((self._called("predict_proba", X), n_classes), 1 / n_classes)

    def predict_log_proba(self, X):
        n_classes = len(self.classes_)
        return np.full((self._called("predict_log_proba", X), n_classes), -np.log(2))

    def decision_function(self, X):
        return np.zeros(self._called("decision_function", X))

    def score_samples(self, X):
        return np.zeros(self._called("score_samples", X))


class ValRecorder(ClassifierMixin, BaseEstimator):
    """Records the validation set it receives as metadata."""

    def fit(self, X, y, X_val=None):
        self.classes_ = np.unique(y)
        self.X_val_ = X_val
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _oracle_steps():
    return [
        ("scale", StandardScaler()),
        ("rus", RandomUnderSampler(sampling_strategy=0.4, random_state=1)),
        ("smote", SMOTE(random_state=0)),
        ("clf", LogisticRegression()),
    ]


# ------------------------------------------- samplers act while fitting only


def test_pipeline_samplers_run_only_while_fitting():
    X, y = _data()
    sampler = CountingSampler()
    pipe = Pipeline([("count", sampler), ("clf", Recorder())]).fit(X, y)
    kept = np.flatnonzero((y != 0) | (np.arange(len(y)) % 2 == 0))
    assert sampler.n_calls_ == 1
    assert pipe["clf"].fit_rows_ == kept.size
    assert kept.size < len(y)
    assert_array_equal(pipe["clf"].fit_y_, y[kept])

    assert pipe.predict(X[:7]).shape == (7,)
    assert pipe.predict_proba(X[:8]).shape == (8, 2)
    assert pipe.predict_log_proba(X[:9]).shape == (9, 2)
    assert pipe.decision_function(X[:10]).shape == (10,)
    assert pipe.score_samples(X[:11]).shape == (11,)
    assert pipe.score(X[:12], y[:12]) == np.mean(y[:12] == pipe.classes_[0])

    assert sampler.n_calls_ == 1
    assert pipe["clf"].calls_ == [
        ("predict", 7), ("predict_proba", 8), ("predict_log_proba", 9),
        ("decision_function", 10), ("score_samples", 11), ("predict", 12),
    ]


def test_pipeline_transform_and_inverse_transform_skip_samplers():
    X, y = _data()
    sampler = CountingSampler()
    pipe = Pipeline([("count", sampler), ("scale", StandardScaler())])
    Xt_fit = pipe.fit_transform(X, y)
    kept = sampler.sample_indices_
    assert Xt_fit.shape == (kept.size, 5)

    Xt = pipe.transform(X)
    assert_allclose(Xt, StandardScaler().fit(X[kept]).transform(X))
    assert_allclose(pipe.inverse_transform(Xt), X)
    assert sampler.n_calls_ == 1


def test_pipeline_cross_validate_fits_on_resampled_folds_and_predicts_whole_folds():
    X, y = _data(n_samples=250, weights=(0.8,), random_state=1)
    pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", Recorder())])
    result = cross_validate(pipe, X, y, cv=5, scoring="accuracy", return_estimator=True)
    folds = list(StratifiedKFold(n_splits=5).split(X, y))
    assert len(result["estimator"]) == 5
    for (train, test), fitted in zip(folds, result["estimator"]):
        minority = np.bincount(y[train]).min()
        assert fitted["clf"].fit_rows_ == 2 * minority
        assert np.bincount(fitted["clf"].fit_y_).tolist() == [minority, minority]
        assert fitted["clf"].calls_ == [("predict", len(test))]


# --------------------------------------------- imbalanced-learn as the oracle


def test_pipeline_predictions_equal_imblearn_pipeline():
    X, y = _data(n_samples=400, weights=(0.85,), random_state=3)
    ours = Pipeline(_oracle_steps()).fit(X, y)
    theirs = ImbPipeline(_oracle_steps()).fit(X, y)
    assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    assert_array_equal(ours.predict(X), theirs.predict(X))
    assert_array_equal(ours.decision_function(X), theirs.decision_function(X))
    assert ours.score(X, y) == theirs.score(X, y)
    assert_array_equal(ours.classes_, [0, 1])


def test_pipeline_grid_search_over_sampler_parameter_equals_imblearn():
    X, y = _data(n_samples=300, weights=(0.85,), random_state=5)
    grid = {"smote__k_neighbors": [2, 5], "clf__C": [0.05, 1.0]}
    ours = GridSearchCV(Pipeline(_oracle_steps()), grid, cv=3, scoring="roc_auc").fit(X, y)
    theirs = GridSearchCV(ImbPipeline(_oracle_steps()), grid, cv=3, scoring="roc_auc")
    theirs.fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    scores = ours.cv_results_["mean_test_score"]
    assert_array_equal(scores, theirs.cv_results_["mean_test_score"])
    assert len(set(scores.tolist())) == 4
    assert ours.best_estimator_["smote"].k_neighbors == ours.best_params_[
        "smote__k_neighbors"
    ]


def test_pipeline_fit_resample_with_last_sampler_equals_imblearn():
    X, y = _data()
    def steps():
        return [("scale", StandardScaler()), ("rus", RandomUnderSampler(random_state=0))]

    X_ours, y_ours = Pipeline(steps()).fit_resample(X, y)
    X_theirs, y_theirs = ImbPipeline(steps()).fit_resample(X, y)
    X_manual, y_manual = RandomUnderSampler(random_state=0).fit_resample(
        StandardScaler().fit_transform(X), y
    )
    assert_array_equal(X_ours, X_theirs)
    assert_array_equal(y_ours, y_theirs)
    assert_array_equal(X_ours, X_manual)
    assert_array_equal(y_ours, y_manual)
    assert np.bincount(y_ours).tolist() == [np.bincount(y).min()] * 2


def test_make_pipeline_names_steps_as_imblearn():
    steps = [StandardScaler(), RandomUnderSampler(), StandardScaler(), LogisticRegression()]
    ours = make_pipeline(*steps, memory=None, verbose=True)
    theirs = imb_make_pipeline(*steps)
    assert [name for name, _ in ours.steps] == [
        "standardscaler-1", "randomundersampler", "standardscaler-2",
        "logisticregression",
    ]
    assert [name for name, _ in ours.steps] == [name for name, _ in theirs.steps]
    assert isinstance(ours, Pipeline)
    assert ours.verbose is True
    assert [name for name, _ in make_pipeline("passthrough", Recorder()).steps] == [
        "passthrough", "recorder",
    ]


# ------------------------------------------------------ per-row fit params


def test_pipeline_sample_weight_follows_rows_kept_with_routing():
    X, y = _data()
    weights = np.linspace(0.5, 2.0, len(y))
    before = weights.copy()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = Recorder().set_fit_request(sample_weight=True)
        pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", clf)])
        pipe.fit(X, y, sample_weight=weights)
    kept = pipe["rus"].sample_indices_
    assert kept.size == 2 * np.bincount(y).min()
    assert_array_equal(pipe["clf"].sample_weight_, weights[kept])
    assert_array_equal(weights, before)


def test_pipeline_sample_weight_follows_duplicated_rows_in_legacy_style():
    X, y = _data()
    weights = np.linspace(0.5, 2.0, len(y))
    before = weights.copy()
    pipe = Pipeline([("ros", RandomOverSampler(random_state=0)), ("clf", Recorder())])
    pipe.fit(X, y, clf__sample_weight=weights)
    kept = pipe["ros"].sample_indices_
    assert kept.size == 2 * np.bincount(y).max()
    assert np.unique(kept).size < kept.size  # rows were repeated
    assert_array_equal(pipe["clf"].sample_weight_, weights[kept])
    assert_array_equal(pipe["clf"].fit_y_, y[kept])
    assert_array_equal(weights, before)


def test_pipeline_sample_weight_series_follows_rows_by_position():
    X, y = _data()
    columns = [f"f{i}" for i in range(5)]
    X_df = pd.DataFrame(X, columns=columns)
    y_s = pd.Series(y, name="target")
    weights = pd.Series(np.linspace(1.0, 3.0, len(y)), index=np.arange(len(y)) + 1000)
    pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", Recorder())])
    pipe.fit(X_df, y_s, clf__sample_weight=weights)
    kept = pipe["rus"].sample_indices_
    assert_array_equal(pipe["clf"].sample_weight_, weights.to_numpy()[kept])
    assert weights.index[0] == 1000


def test_pipeline_sample_weight_after_smote_raises():
    X, y = _data()
    weights = np.ones(len(y))
    pipe = Pipeline([("smote", SMOTE(random_state=0)), ("clf", Recorder())])
    message = (
        r"'sample_weight' has one value per row \(120 rows\) and is passed to step "
        r"'clf', after the sampler 'smote' \(SMOTE\).*records no sample_indices_"
    )
    with pytest.raises(InvalidInputError, match=message):
        pipe.fit(X, y, clf__sample_weight=weights)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = Recorder().set_fit_request(sample_weight=True)
        routed = Pipeline([("smote", SMOTE(random_state=0)), ("clf", clf)])
        with pytest.raises(InvalidInputError, match=message):
            routed.fit(X, y, sample_weight=weights)


def test_pipeline_sample_weight_after_function_sampler_raises():
    X, y = _data()
    pipe = Pipeline([("func", FunctionSampler()), ("clf", Recorder())])
    with pytest.raises(InvalidInputError, match="after the sampler 'func' "
                       r"\(FunctionSampler\).*Pass 'sample_weight' only to steps"):
        pipe.fit(X, y, clf__sample_weight=np.ones(len(y)))


def test_pipeline_sample_weight_with_mismatched_indices_raises():
    X, y = _data()
    pipe = Pipeline([("bad", WrongIndicesSampler()), ("clf", Recorder())])
    with pytest.raises(InvalidInputError, match="sample_indices_ does not match the rows"):
        pipe.fit(X, y, clf__sample_weight=np.ones(len(y)))


def test_pipeline_sample_weight_before_smote_and_other_params_pass():
    X, y = _data()
    weights = np.linspace(0.5, 2.0, len(y))
    tag = np.arange(3)
    pipe = Pipeline([
        ("scale", StandardScaler()), ("smote", SMOTE(random_state=0)), ("clf", Recorder()),
    ])
    pipe.fit(X, y, scale__sample_weight=weights, clf__tag=tag)
    assert_allclose(pipe["scale"].mean_, np.average(X, axis=0, weights=weights))
    assert pipe["clf"].tag_ is tag
    assert pipe["clf"].sample_weight_ is None
    assert pipe["clf"].fit_rows_ == 2 * np.bincount(y).max()


def test_pipeline_sampler_receives_metadata_it_requests():
    X, y = _data()
    weights = np.linspace(0.5, 2.0, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        sampler = WeightedSampler().set_fit_request(sample_weight=True)
        clf = Recorder().set_fit_request(sample_weight=True)
        pipe = Pipeline([("weighted", sampler), ("clf", clf)])
        assert pipe.get_metadata_routing().consumes("fit", ["sample_weight"]) == {
            "sample_weight"
        }
        pipe.fit(X, y, sample_weight=weights)
    kept = np.flatnonzero(weights > np.median(weights))
    assert_array_equal(pipe["weighted"].seen_weight_, weights)
    assert_array_equal(pipe["clf"].sample_weight_, weights[kept])
    assert pipe["clf"].fit_rows_ == kept.size


def test_pipeline_routing_validates_sampler_requests():
    X, y = _data()
    with sklearn.config_context(enable_metadata_routing=True):
        only_sampler = Pipeline([
            ("weighted", WeightedSampler().set_fit_request(sample_weight=True)),
            ("clf", LogisticRegression()),
        ])
        assert only_sampler.get_metadata_routing().consumes(
            "fit", ["sample_weight"]
        ) == {"sample_weight"}
        assert only_sampler.get_metadata_routing().consumes(
            "predict", ["sample_weight"]
        ) == set()
        unset = Pipeline([("weighted", WeightedSampler()), ("clf", ValRecorder())])
        with pytest.raises(ValueError, match=r"\[sample_weight\] are passed but are not "
                           r"explicitly set as requested or not requested for "
                           r"WeightedSampler.fit"):
            unset.fit(X, y, sample_weight=np.ones(len(y)))


def test_pipeline_legacy_params_need_step_prefix():
    X, y = _data()
    pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", Recorder())])
    with pytest.raises(ValueError, match="Pipeline.fit does not accept the sample_weight"):
        pipe.fit(X, y, sample_weight=np.ones(len(y)))


def test_pipeline_routing_works_without_imblearn_loaded():
    # imbalanced-learn adds "fit_resample" to scikit-learn's routing methods when
    # imported; imbkit must not rely on that.
    code = textwrap.dedent("""
        import sys
        import numpy as np
        import sklearn
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
        from sklearn.utils import _metadata_requests
        from imbkit.pipeline import Pipeline
        from imbkit.under_sampling import RandomUnderSampler

        X, y = make_classification(n_samples=80, weights=[0.8], random_state=0)
        w = np.linspace(0.5, 2.0, len(y))
        sklearn.set_config(enable_metadata_routing=True)
        clf = LogisticRegression().set_fit_request(sample_weight=True)
        pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", clf)])
        pipe.fit(X, y, sample_weight=w)
        kept = pipe["rus"].sample_indices_
        ref = LogisticRegression().fit(X[kept], y[kept], sample_weight=w[kept])
        assert np.array_equal(pipe["clf"].coef_, ref.coef_)
        scale = StandardScaler().set_fit_request(sample_weight=True)
        tail = Pipeline([("scale", scale), ("rus", RandomUnderSampler(random_state=0))])
        X_res, y_res = tail.fit_resample(X, y, sample_weight=w)
        assert X_res.shape == (kept.size, X.shape[1])
        assert "imblearn" not in sys.modules
        assert "fit_resample" not in _metadata_requests.METHODS
        print("ok")
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_pipeline_transform_input_is_transformed_not_resampled():
    X, y = _data()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = ValRecorder().set_fit_request(X_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("rus", RandomUnderSampler(random_state=0)),
             ("clf", clf)],
            transform_input=["X_val"],
        )
        pipe.fit(X, y, X_val=X)
    # X_val has as many rows as X, yet it is a separate set: scaled, all rows kept
    assert_allclose(pipe["clf"].X_val_, pipe["scale"].transform(X))


def test_pipeline_transform_input_without_routing_raises():
    X, y = _data()
    pipe = Pipeline([("rus", RandomUnderSampler()), ("clf", ValRecorder())],
                    transform_input=["X_val"])
    with pytest.raises(ValueError, match="transform_input is set but metadata routing "
                       "is disabled"):
        pipe.fit(X, y)


# ------------------------------------------------- scikit-learn's Pipeline API


def test_pipeline_get_set_params_and_clone():
    pipe = Pipeline([("smote", SMOTE(k_neighbors=5, random_state=0)),
                     ("clf", LogisticRegression(C=2.0))])
    params = pipe.get_params()
    assert params["smote__k_neighbors"] == 5
    assert params["clf__C"] == 2.0
    assert params["memory"] is None
    assert params["transform_input"] is None
    assert pipe.set_params(smote__k_neighbors=3, clf__C=0.5) is pipe
    assert pipe["smote"].k_neighbors == 3
    cloned = clone(pipe)
    assert type(cloned) is Pipeline
    assert cloned["smote"] is not pipe["smote"]
    assert cloned.get_params()["smote__k_neighbors"] == 3
    assert cloned.get_params()["clf__C"] == 0.5
    X, y = _data()
    pipe.fit(X, y)
    assert not hasattr(clone(pipe)["clf"], "coef_")


def test_pipeline_slicing_and_named_steps():
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("rus", RandomUnderSampler(random_state=0)),
                     ("clf", LogisticRegression())]).fit(X, y)
    head = pipe[:2]
    assert type(head) is Pipeline
    assert [name for name, _ in head.steps] == ["scale", "rus"]
    assert head[-1] is pipe.named_steps["rus"]
    assert pipe[1] is pipe["rus"]
    assert pipe[-1] is pipe.named_steps.clf
    assert len(pipe) == 3
    assert not hasattr(head, "transform")
    assert_allclose(pipe[:1].transform(X), pipe["scale"].transform(X))
    X_res, y_res = head.fit_resample(X, y)
    assert X_res.shape == (2 * np.bincount(y).min(), 5)
    assert np.bincount(y_res).tolist() == [np.bincount(y).min()] * 2
    with pytest.raises(ValueError, match="Pipeline slicing only supports a step of 1"):
        pipe[::2]


def test_pipeline_passthrough_and_none_steps():
    X, y = _data()
    pipe = Pipeline([("scale", "passthrough"), ("rus", None), ("clf", LogisticRegression())])
    pipe.fit(X, y)
    assert_array_equal(pipe.predict_proba(X), LogisticRegression().fit(X, y).predict_proba(X))
    recorder = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("clf", Recorder())])
    recorder.set_params(rus="passthrough").fit(X, y)
    assert recorder["clf"].fit_rows_ == len(y)

    last = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("end", "passthrough")])
    X_res, y_res = last.fit_resample(X, y)
    X_ref, y_ref = RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert_array_equal(last.fit_transform(X, y), X_ref)


def test_pipeline_last_step_sampler_exposes_fit_resample_only():
    pipe = Pipeline([("scale", StandardScaler()), ("rus", RandomUnderSampler())])
    assert hasattr(pipe, "fit_resample")
    assert not hasattr(pipe, "predict")
    assert not hasattr(pipe, "transform")
    assert not hasattr(Pipeline([("clf", LogisticRegression())]), "fit_resample")


def test_pipeline_step_both_transformer_and_sampler_raises():
    X, y = _data()
    pipe = Pipeline([("both", TransformAndResample()), ("clf", LogisticRegression())])
    with pytest.raises(TypeError, match=r"Step 'both' \(TransformAndResample\) implements "
                       "both transform and fit_resample"):
        pipe.fit(X, y)


def test_pipeline_invalid_steps_raise():
    X, y = _data()
    with pytest.raises(TypeError, match=r"Step 'bad' \(dict\) is neither a transformer"):
        Pipeline([("bad", {}), ("clf", LogisticRegression())]).fit(X, y)
    with pytest.raises(TypeError, match=r"Step 'smote' is the class SMOTE, not an "
                       r"instance of it: pass SMOTE\(\) instead"):
        Pipeline([("smote", SMOTE), ("clf", LogisticRegression())]).fit(X, y)
    with (  # the steps are checked before routing reads them
        sklearn.config_context(enable_metadata_routing=True),
        pytest.raises(TypeError, match="Step 'smote' is the class SMOTE"),
    ):
        Pipeline([("smote", SMOTE), ("clf", LogisticRegression())]).fit(
            X, y, sample_weight=np.ones(len(y))
        )
    with pytest.raises(TypeError, match=r"The last step 'end' \(dict\) has no fit method"):
        Pipeline([("rus", RandomUnderSampler()), ("end", {})]).fit(X, y)
    with pytest.raises(ValueError, match="The pipeline is empty"):
        Pipeline([]).fit(X, y)


def test_pipeline_nested_pipeline_with_sampler_raises_and_without_works():
    X, y = _data()
    inner = Pipeline([("scale", StandardScaler()), ("rus", RandomUnderSampler())])
    outer = Pipeline([("inner", inner), ("clf", LogisticRegression())])
    with pytest.raises(TypeError, match="Step 'inner' is a pipeline holding the sampler "
                       "'rus'"):
        outer.fit(X, y)
    plain = Pipeline([("inner", SkPipeline([("scale", StandardScaler())])),
                      ("rus", RandomUnderSampler(random_state=0)), ("clf", Recorder())])
    assert plain.fit(X, y)["clf"].fit_rows_ == 2 * np.bincount(y).min()


def test_pipeline_fit_transform_uses_resampled_target():
    X, y = _data()
    pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)), ("last", FitThenTransform())])
    Xt = pipe.fit_transform(X, y)
    kept = pipe["rus"].sample_indices_
    assert_array_equal(Xt, X[kept] * 2.0)
    assert_array_equal(pipe["last"].fit_y_, y[kept])


def test_pipeline_fit_predict_returns_resampled_predictions():
    X, y = _data()
    pipe = Pipeline([("rus", RandomUnderSampler(random_state=0)),
                     ("km", KMeans(n_clusters=2, n_init=1, random_state=0))])
    labels = pipe.fit_predict(X, y)
    kept = pipe["rus"].sample_indices_
    reference = KMeans(n_clusters=2, n_init=1, random_state=0).fit_predict(X[kept])
    assert_array_equal(labels, reference)


def test_pipeline_memory_caches_fitted_transformers_and_samplers(tmp_path):
    X, y = _data()
    transformer, sampler = StampTransformer(), StampSampler()
    pipe = Pipeline([("stamp", transformer), ("sampler", sampler), ("clf", Recorder())],
                    memory=str(tmp_path))
    weights = np.linspace(0.5, 2.0, len(y))
    pipe.fit(X, y, clf__sample_weight=weights)
    first = (pipe["stamp"].stamp_, pipe["sampler"].stamp_)
    pipe.fit(X, y, clf__sample_weight=weights)
    assert (pipe["stamp"].stamp_, pipe["sampler"].stamp_) == first
    assert not hasattr(transformer, "stamp_")  # clones were fitted, not the originals
    assert not hasattr(sampler, "stamp_")
    assert_array_equal(pipe["clf"].sample_weight_, weights)
    pipe.fit(X[:-1], y[:-1])
    assert pipe["stamp"].stamp_ != first[0]
    assert pipe["sampler"].stamp_ != first[1]


def test_pipeline_pandas_input_keeps_working():
    X, y = _data()
    columns = [f"f{i}" for i in range(5)]
    X_df = pd.DataFrame(X, columns=columns)
    labels = np.where(y == 1, "pos", "neg")
    y_s = pd.Series(labels, name="target")
    pipe = Pipeline(_oracle_steps()).fit(X_df, y_s)
    reference = Pipeline(_oracle_steps()).fit(X, labels)
    assert_array_equal(pipe.feature_names_in_, columns)
    assert pipe.n_features_in_ == 5
    assert_array_equal(pipe.classes_, ["neg", "pos"])
    assert_allclose(pipe.predict_proba(X_df), reference.predict_proba(X))
    assert_array_equal(pipe.predict(X_df), reference.predict(X))


def test_pipeline_verbose_reports_each_step(capsys):
    X, y = _data()
    Pipeline([("rus", RandomUnderSampler(random_state=0)), ("skip", "passthrough"),
              ("clf", LogisticRegression())], verbose=True).fit(X, y)
    out = capsys.readouterr().out
    assert "(step 1 of 3) Processing rus" in out
    assert "(step 2 of 3) Processing skip" in out
    assert "(step 3 of 3) Processing clf" in out


def test_pipeline_parameters_validated_at_fit():
    X, y = _data()
    pipe = Pipeline([("clf", LogisticRegression())], verbose="loud")
    with pytest.raises(ValueError, match="The 'verbose' parameter of Pipeline must be"):
        pipe.fit(X, y)


def test_pipeline_set_callbacks_raises():
    with pytest.raises(NotImplementedError, match="does not run scikit-learn fit callbacks"):
        Pipeline([("clf", LogisticRegression())]).set_callbacks()


# ------------------------------------------------ scikit-learn's estimator checks

_FAILS_LIKE_SKLEARN_PIPELINE = (
    "scikit-learn's own Pipeline fits the step objects held in `steps` in place, "
    "which this check reads as changing a parameter"
)


def _expected_failed_checks(estimator):
    return {
        "check_estimators_overwrite_params": _FAILS_LIKE_SKLEARN_PIPELINE,
        "check_dont_overwrite_parameters": _FAILS_LIKE_SKLEARN_PIPELINE,
        "check_supervised_y_2d": (
            "the sampler turns a column-vector y into 1-D before the classifier "
            "sees it, so the classifier's DataConversionWarning never fires "
            "(the same holds for imbalanced-learn's samplers)"
        ),
    }


@parametrize_with_checks(
    [
        Pipeline([("rus", RandomUnderSampler(random_state=0)),
                  ("clf", LogisticRegression())]),
        Pipeline([("scale", StandardScaler()), ("ros", RandomOverSampler(random_state=0)),
                  ("clf", LogisticRegression())]),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_pipeline_sklearn_estimator_checks(estimator, check):
    check(estimator)
