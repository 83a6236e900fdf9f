"""The explicit table of lint rules (no import magic): add a rule here to ship it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from wit_ls.lint.rule import Rule
from wit_ls.lint.rules import (
    abi_size_limit,
    acronym_casing,
    async_returns_future,
    boolean_trap,
    closed_error_type,
    dangling_doc_comment,
    deprecated_usage,
    deprecated_without_guidance,
    empty_resource_body,
    encoding_only_error,
    error_type_naming,
    file_naming,
    flat_params_exceed,
    gate_inconsistent,
    gate_without_version,
    integer_pseudo_handle,
    invalid_suppression,
    large_list_prefer_stream,
    large_tuple,
    list_char,
    missing_docs,
    missing_member_docs,
    missing_package_version,
    name_stutter,
    nested_option,
    owned_handle_param,
    plain_comment_becomes_doc,
    prerelease_dependency,
    redundant_use_alias,
    semver_duplicate_dependency,
    setter_type_mismatch,
    since_before_reference,
    since_missing,
    static_self_param,
    stream_without_completion,
    string_error,
    suppression_in_docs,
    too_many_params,
    unnecessary_escape,
    unstable_feature_naming,
    untyped_error,
    unused_suppression,
    unused_type,
    unused_use,
)

RULES: tuple[Rule, ...] = (
    encoding_only_error.RULE,
    gate_inconsistent.RULE,
    setter_type_mismatch.RULE,
    deprecated_usage.RULE,
    abi_size_limit.RULE,
    unnecessary_escape.RULE,
    acronym_casing.RULE,
    name_stutter.RULE,
    unused_use.RULE,
    redundant_use_alias.RULE,
    empty_resource_body.RULE,
    file_naming.RULE,
    unused_type.RULE,
    missing_docs.RULE,
    missing_member_docs.RULE,
    plain_comment_becomes_doc.RULE,
    deprecated_without_guidance.RULE,
    dangling_doc_comment.RULE,
    missing_package_version.RULE,
    since_missing.RULE,
    unstable_feature_naming.RULE,
    semver_duplicate_dependency.RULE,
    prerelease_dependency.RULE,
    gate_without_version.RULE,
    since_before_reference.RULE,
    string_error.RULE,
    untyped_error.RULE,
    closed_error_type.RULE,
    owned_handle_param.RULE,
    nested_option.RULE,
    large_tuple.RULE,
    async_returns_future.RULE,
    boolean_trap.RULE,
    too_many_params.RULE,
    error_type_naming.RULE,
    static_self_param.RULE,
    stream_without_completion.RULE,
    integer_pseudo_handle.RULE,
    list_char.RULE,
    large_list_prefer_stream.RULE,
    flat_params_exceed.RULE,
    unused_suppression.RULE,
    invalid_suppression.RULE,
    suppression_in_docs.RULE,
)

RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def lookup(name_or_code: str) -> Rule | None:
    """A rule by kebab name or by code (case-insensitive code)."""
    return RULES_BY_NAME.get(name_or_code) or RULES_BY_CODE.get(name_or_code.upper())


@cache
def resolution_table() -> Mapping[str, str]:
    """Every spelling a suppression or selector may use -> rule name (built once)."""
    out = {r.name: r.name for r in RULES}
    out.update({r.code: r.name for r in RULES})
    return out


@cache
def category_table() -> Mapping[str, frozenset[str]]:
    """Category name -> its rules (a suppression may name a category; built once)."""
    out: dict[str, set[str]] = {}
    for rule in RULES:
        out.setdefault(rule.category, set()).add(rule.name)
    return {k: frozenset(v) for k, v in out.items()}
