from .base import SMOTE, BaseSMOTE

__all__ = ["BaseSMOTE", "SMOTE"]
