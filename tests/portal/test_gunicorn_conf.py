"""The gunicorn settings of `make serve` and of the benchmark."""

import gc
import importlib


def test_a_worker_moves_the_loaded_application_out_of_the_collectors_sight():
    conf = importlib.import_module("portal.gunicorn_conf")
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
