"""kpi.yaml: defaults from docs/kpi-catalog.md, strict validation with the offending line
(docs/cli-conventions.md: unknown keys are errors reported with their line, exit code 2), and
discovery of kpi.yaml (an explicit path, $SUPPORTKPI_CONFIG, the current directory or its
parents); the ``kpis`` section built from the KPI modules' ``Params``."""

from __future__ import annotations

from textwrap import dedent

import pytest

from supportkpi.config import ENV_VAR, Config, KpiParams, find_config, kpi_params, load_config, parse_config
from supportkpi.errors import ConfigError, UsageError
from supportkpi.metrics import PARAMETERIZED, REGISTRY


@pytest.fixture(autouse=True)
def _no_config_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def config_error(text: str, path: str = "kpi.yaml") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(dedent(text), path)
    return info.value


# --- defaults ------------------------------------------------------------------------------


def test_empty_document_gives_defaults():
    assert parse_config("", "kpi.yaml").model_dump() == Config().model_dump()


def test_top_level_defaults():
    config = parse_config("", "kpi.yaml")
    assert config.version == 1
    assert config.timezone == "UTC"  # docs/data-model.md: naive timestamps default to UTC
    assert config.columns == {}


def test_csat_defaults_match_catalog():
    # catalog: 4 or 5 on 1-5 is satisfied ("top-2-box"); neutral 3 sits between 2 and 4
    csat = Config().kpis.csat
    assert tuple(csat.scale) == (1, 5)
    assert csat.satisfied_min == 4
    assert csat.dissatisfied_max == 2
    assert csat.variant == "top_box"


def test_ces_defaults_match_catalog():
    # catalog: CES 2.0, 1-7, 7 = easiest
    ces = Config().kpis.ces
    assert tuple(ces.scale) == (1, 7)
    assert ces.higher_is_easier is True


def test_fcr_default_definition_is_one_touch():
    assert Config().kpis.fcr_rate.definition == "one_touch"


def test_service_level_and_abandonment_defaults_match_catalog():
    # catalog: T = 20 s, an abandon with wait < 5 s is short, abandons count as misses
    kpis = Config().kpis
    assert kpis.service_level.threshold_seconds == 20
    assert kpis.service_level.short_abandon_seconds == 5
    assert kpis.service_level.variant == "abandons_missed"
    assert kpis.abandonment_rate.short_abandon_seconds == 5


def test_ticket_durations_default_to_median():
    kpis = Config().kpis
    assert kpis.first_response_time.statistic == "median"
    assert kpis.resolution_time.statistic == "median"


@pytest.mark.parametrize("kpi_id", ["aht", "talk_time", "hold_time", "acw_time", "asa"])
def test_call_durations_default_to_mean(kpi_id):
    # catalog: AHT, ATT, hold, ACW and ASA are means
    assert getattr(Config().kpis, kpi_id).statistic == "mean"


# --- valid settings ------------------------------------------------------------------------


def test_settings_are_read():
    config = parse_config(
        dedent(
            """\
            version: 1
            timezone: Europe/Berlin
            columns:
              created_at: Created time
              ticket_id: Ticket ID
            kpis:
              csat:
                variant: exclude_neutral
              service_level:
                threshold_seconds: 30
              resolution_time:
                statistic: p90
            """
        ),
        "kpi.yaml",
    )
    assert config.timezone == "Europe/Berlin"
    assert config.columns == {"created_at": "Created time", "ticket_id": "Ticket ID"}
    assert config.kpis.csat.variant == "exclude_neutral"
    assert config.kpis.service_level.threshold_seconds == 30
    assert config.kpis.resolution_time.statistic == "p90"
    # untouched sections keep their defaults
    assert config.kpis.service_level.short_abandon_seconds == 5
    assert config.kpis.ces.higher_is_easier is True


# --- errors --------------------------------------------------------------------------------


def test_unknown_top_level_key_reports_its_line():
    error = config_error(
        """\
        version: 1
        timezone: UTC
        colour: red
        """
    )
    assert error.line == 3
    assert str(error).startswith("kpi.yaml:3:")
    assert "colour" in str(error)
    assert error.exit_code == 2


def test_unknown_nested_key_reports_its_line():
    error = config_error(
        """\
        version: 1
        kpis:
          csat:
            scale: [1, 5]
            treshold: 4
        """
    )
    assert error.line == 5  # the line of "treshold"
    assert str(error).startswith("kpi.yaml:5:")
    assert "kpis.csat.treshold" in str(error)
    assert error.exit_code == 2


def test_error_message_names_the_given_path():
    error = config_error("colour: red\n", path="conf/kpi.yaml")
    assert str(error).startswith("conf/kpi.yaml:1:")
    assert error.path == "conf/kpi.yaml"


def test_bad_literal_reports_value_and_line():
    error = config_error(
        """\
        kpis:
          csat:
            variant: foo
        """
    )
    assert error.line == 3
    assert "'foo'" in str(error)
    assert "kpis.csat.variant" in str(error)
    assert error.exit_code == 2


def test_unsupported_version_is_an_error():
    error = config_error("version: 2\n")
    assert error.line == 1
    assert error.exit_code == 2


def test_out_of_range_value_reports_its_line():
    error = config_error(
        """\
        version: 1
        kpis:
          service_level:
            threshold_seconds: 0
        """
    )
    assert error.line == 4  # T must be > 0
    assert error.exit_code == 2


def test_unknown_time_zone():
    error = config_error(
        """\
        version: 1
        timezone: Mars/Olympus_Mons
        """
    )
    assert error.line == 2
    assert "Mars/Olympus_Mons" in str(error)
    assert error.exit_code == 2


def test_invalid_yaml_reports_its_line():
    # "key: a: b" on line 2: a plain scalar may not contain ": " in block context
    error = config_error(
        """\
        version: 1
        timezone: Europe: Berlin
        """
    )
    assert error.line == 2
    assert str(error).startswith("kpi.yaml:2:")
    assert "YAML" in str(error)
    assert error.exit_code == 2


@pytest.mark.parametrize("text", ["- version\n- 1\n", "just some text\n", "42\n"])
def test_document_that_is_not_a_mapping(text):
    error = config_error(text)
    assert "mapping" in str(error)
    assert error.exit_code == 2


def test_columns_entry_with_non_canonical_name():
    error = config_error(
        """\
        version: 1
        columns:
          ticket_id: ID
          create_at: Created
        """
    )
    assert "create_at" in str(error)
    assert "did you mean 'created_at'" in str(error)
    assert error.exit_code == 2


def test_columns_entry_with_non_canonical_name_reports_its_line():
    error = config_error(
        """\
        version: 1
        columns:
          ticket_id: ID
          create_at: Created
        """
    )
    assert error.line == 4  # the line of "create_at"


def test_csat_satisfied_min_below_dissatisfied_max():
    error = config_error(
        """\
        kpis:
          csat:
            satisfied_min: 2
            dissatisfied_max: 3
        """
    )
    assert "kpis.csat" in str(error)
    assert "satisfied_min" in str(error)
    assert error.line == 2  # the csat section holding the two settings
    assert error.exit_code == 2


def test_csat_scale_must_be_increasing():
    error = config_error(
        """\
        kpis:
          csat:
            scale: [5, 1]
        """
    )
    assert "scale" in str(error)
    assert error.exit_code == 2


def test_short_abandon_threshold_set_once_applies_to_both():
    config = parse_config("kpis:\n  abandonment_rate:\n    short_abandon_seconds: 3\n")
    assert config.kpis.service_level.short_abandon_seconds == 3
    assert config.kpis.abandonment_rate.short_abandon_seconds == 3


def test_short_abandon_threshold_set_twice_differently_is_an_error():
    error = config_error(
        """\
        kpis:
          service_level:
            short_abandon_seconds: 3
          abandonment_rate:
            short_abandon_seconds: 4
        """
    )
    assert str(error) == (
        "kpi.yaml:1: kpis: Value error, service_level.short_abandon_seconds and "
        "abandonment_rate.short_abandon_seconds differ; the catalog has one short-abandon "
        "threshold (set it once)"
    )


# --- the kpis section comes from the KPI modules -------------------------------------------


def test_kpis_section_has_each_kpi_modules_params():
    for kpi_id, module in PARAMETERIZED.items():
        assert KpiParams.model_fields[kpi_id].annotation is module.Params
        assert getattr(Config().kpis, kpi_id) == module.Params()
    assert set(KpiParams.model_fields) == {*PARAMETERIZED, "clv"}


def test_sla_policy_metrics_are_the_kpis_with_a_business_clock():
    clocked = [k for k, m in REGISTRY.items() if m.INFO.business_clock and m.INFO.table == "contacts"]
    assert clocked == ["first_response_time", "resolution_time"]
    # a mention's response time has a business clock too, but no SLA policy measures mentions
    assert [k for k, m in REGISTRY.items() if m.INFO.business_clock and m.INFO.table == "mentions"] == [
        "social_response_time"
    ]
    error = config_error("sla:\n  - {name: x, metric: csat, targets: [{hours: 1}]}\n")
    assert "sla.0.metric" in str(error) and "'first_response_time' or 'resolution_time'" in str(error)


def test_kpi_params_hours_sets_the_clock_of_clocked_kpis():
    params = kpi_params(Config(), "business")
    assert params["first_response_time"]["clock"] == "business"
    assert params["resolution_time"]["clock"] == "business"
    assert "clock" not in params["aht"]
    assert kpi_params(Config(), None)["resolution_time"]["clock"] == "calendar"
    with pytest.raises(UsageError, match="--hours 'office': expected calendar or business"):
        kpi_params(Config(), "office")


# --- finding kpi.yaml ----------------------------------------------------------------------


def test_no_kpi_yaml_in_the_directory_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None) == (Config(), None)


def test_kpi_yaml_in_the_directory_is_picked_up(tmp_path, monkeypatch):
    (tmp_path / "kpi.yaml").write_text("version: 1\ntimezone: Europe/Berlin\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config, source = load_config(None)
    assert config.timezone == "Europe/Berlin"
    assert source == "kpi.yaml"


def test_explicit_path_is_loaded(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text("kpis:\n  fcr_rate:\n    definition: no_reopen\n", encoding="utf-8")
    config, source = load_config(path)
    assert config.kpis.fcr_rate.definition == "no_reopen"
    assert source == str(path)


def test_explicit_path_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert info.value.exit_code == 2


def test_errors_in_a_loaded_file_name_that_file(tmp_path):
    path = tmp_path / "kpi.yaml"
    path.write_text("version: 1\nkpis:\n  nps:\n    scale: [0, 10]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    # nps is not a KPI with parameters: an unknown key on line 3
    assert str(info.value).startswith(f"{path}:3:")


def test_kpi_yaml_in_a_parent_directory_is_found(tmp_path, monkeypatch):
    (tmp_path / "kpi.yaml").write_text("timezone: Europe/Paris\n", encoding="utf-8")
    nested = tmp_path / "exports" / "2025"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    config, source = load_config(None)
    assert config.timezone == "Europe/Paris"
    assert source == str(tmp_path.resolve() / "kpi.yaml")


def test_the_nearest_kpi_yaml_wins(tmp_path, monkeypatch):
    (tmp_path / "kpi.yaml").write_text("timezone: Europe/Paris\n", encoding="utf-8")
    nested = tmp_path / "team"
    nested.mkdir()
    (nested / "kpi.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    monkeypatch.chdir(nested)
    assert load_config(None)[0].timezone == "Asia/Tokyo"


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "kpi.yaml").write_text("timezone: Europe/Paris\n", encoding="utf-8")
    named = tmp_path / "elsewhere.yaml"
    named.write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(named))
    config, source = load_config(None)  # the variable wins over ./kpi.yaml
    assert config.timezone == "Asia/Tokyo"
    assert source == str(named)


def test_explicit_path_wins_over_the_environment_variable(tmp_path, monkeypatch):
    named = tmp_path / "elsewhere.yaml"
    named.write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    given = tmp_path / "given.yaml"
    given.write_text("timezone: Europe/Paris\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(named))
    assert load_config(given)[0].timezone == "Europe/Paris"


def test_environment_variable_naming_no_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError) as info:
        load_config(None)
    assert "missing.yaml" in str(info.value) and "file not found" in str(info.value)


def test_find_config_without_any_file(tmp_path):
    assert find_config(tmp_path) is None
