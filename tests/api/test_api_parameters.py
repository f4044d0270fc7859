"""Every parameter the API documents, fed anything: a 200 or a JSON 400 (a 404 for a page
past the last, or an unknown fiche), never a 500; and an empty parameter is one not given."""

from urllib.parse import quote

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from api.openapi import openapi_document

pytestmark = pytest.mark.usefixtures("portal_data")

with override_settings(ALLOWED_HOSTS=["testserver"]):  # read when the tests are collected
    DOCUMENT = openapi_document(RequestFactory().get("/"))
PARAMETERS = [
    (path, parameter)
    for path, item in DOCUMENT["paths"].items()
    for parameter in item["get"]["parameters"]
]
QUERY = [(path, parameter) for path, parameter in PARAMETERS if parameter["in"] == "query"]
INTEGERS = [(path, parameter["name"]) for path, parameter in QUERY if parameter["schema"]["type"] == "integer"]
EMPTY_IS_ABSENT = pytest.mark.parametrize(
    "path, parameter", QUERY, ids=[f"{path}?{parameter['name']}" for path, parameter in QUERY]
)


def ask(client, path, parameter, value):
    if parameter["in"] == "path":
        return client.get(path.replace(f"{{{parameter['name']}}}", quote(value, safe="")))
    return client.get(path, {parameter["name"]: value})


# Digits of every kind (« ² » passes str.isdigit(), « ١٢ » int()), signs, separators.
NUMERIC_LOOKING = st.text(alphabet="0123456789²³¹١٢٣ -+_.e", max_size=12)


@pytest.mark.parametrize("path, parameter", PARAMETERS, ids=[f"{p}:{q['name']}" for p, q in PARAMETERS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(), NUMERIC_LOOKING))
@example(value="²")
@example(value="9" * 4301)
@example(value="")
def test_any_value_of_a_documented_parameter_is_answered_in_json_never_a_500(client, path, parameter, value):
    response = ask(client, path, parameter, value)
    documented = DOCUMENT["paths"][path]["get"]["responses"]
    assert str(response.status_code) in documented or response.status_code == 400, response.status_code
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path, name", INTEGERS)
@pytest.mark.parametrize("value", ["²", "١٢", "9" * 4301, "9" * 21, " 3", "+3", "1_0", "3.0"])
def test_an_integer_parameter_takes_ascii_digits_only(client, path, name, value):
    response = client.get(path, {name: value})
    assert response.status_code == 400
    assert name in str(response.json())


@pytest.mark.parametrize("path, name", INTEGERS)
def test_an_integer_parameter_in_ascii_digits_is_read(client, path, name):
    response = client.get(path, {name: "01"})
    assert response.status_code == 200


@EMPTY_IS_ABSENT
def test_an_empty_parameter_is_one_not_given(client, path, parameter):
    given_empty = client.get(path, {parameter["name"]: ""})
    assert given_empty.status_code == 200, given_empty.json()
    assert given_empty.json()["nombre"] == client.get(path).json()["nombre"]


@EMPTY_IS_ABSENT
def test_the_schema_says_an_empty_parameter_is_one_not_given(path, parameter):
    # OpenAPI 3.1: the server "SHOULD interpret [a zero-length value] as the parameter being unused".
    assert parameter.get("allowEmptyValue") is True
