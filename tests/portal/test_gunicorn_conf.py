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


def test_the_request_line_holds_a_shared_selection():
    from gunicorn.config import Config

    from selection.views import MAX_SHARE_LENGTH

    conf = importlib.import_module("portal.gunicorn_conf")
    config = Config()
    config.set("limit_request_line", conf.limit_request_line)  # gunicorn checks its bounds
    # « GET <address> HTTP/1.1 » with a long host name still fits.
    longest = len("GET https://") + 200 + MAX_SHARE_LENGTH + len(" HTTP/1.1")
    assert config.limit_request_line >= longest - 200


def test_the_control_socket_stays_closed_unless_asked_for(monkeypatch):
    from gunicorn.config import Config

    conf = importlib.import_module("portal.gunicorn_conf")
    config = Config()
    config.set("control_socket_disable", conf.control_socket_disable)
    assert config.control_socket_disable is True
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "1")
    assert importlib.reload(conf).control_socket_disable is False
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET")
    assert importlib.reload(conf).control_socket_disable is True
