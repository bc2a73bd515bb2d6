from __future__ import annotations

import pytest

from codegen.naming import Namespace, class_name, module_name, snake_name


@pytest.mark.parametrize(
    ("spec", "python"),
    [
        ("Pet", "Pet"),
        ("simple-user", "SimpleUser"),
        ("HTTPError", "HTTPError"),
        ("repo.owner", "RepoOwner"),
        ("2fa-settings", "Model2faSettings"),
        ("Café crème", "CafeCreme"),
        ("None", "NoneModel"),
        ("BaseModel", "BaseModelModel"),
        ("ValidationError", "ValidationErrorModel"),
        ("", "Model"),
        ("../../etc", "Etc"),
    ],
)
def test_class_names(spec: str, python: str) -> None:
    assert class_name(spec) == python


@pytest.mark.parametrize(
    ("spec", "python"),
    [
        ("petId", "pet_id"),
        ("X-Request-Id", "x_request_id"),
        ("repos/get-content", "repos_get_content"),
        ("class", "class_"),
        ("match", "match_"),
        ("1st", "n1st"),
        ("", "n"),
    ],
)
def test_snake_names(spec: str, python: str) -> None:
    assert snake_name(spec) == python


def test_module_names_never_shadow_the_standard_library() -> None:
    assert module_name("json") == "json_api"
    assert module_name("pets") == "pets"
    assert module_name("../../x") == "x"


def test_collisions_are_numbered_in_sorted_order_of_the_originals() -> None:
    names = Namespace({"Reserved"})
    assert names.assign(["simple_user", "simple-user", "SimpleUser", "reserved"], class_name) == {
        "SimpleUser": "SimpleUser",
        "reserved": "Reserved2",
        "simple-user": "SimpleUser2",
        "simple_user": "SimpleUser3",
    }


def test_module_namespace_ignores_case() -> None:
    names = Namespace(fold_case=True)
    assert [names.claim("pets"), names.claim("Pets"), names.claim("v1")] == ["pets", "Pets2", "v1"]
    assert names.claim("v1") == "v1_2"
