def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "max-age=0" in response["Cache-Control"]
