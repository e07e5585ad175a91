"""Ticket KPIs against values worked out by hand."""

from datetime import datetime, timedelta

import polars as pl
import pytest

from supportkpi import compute, kpi

T0 = datetime(2025, 1, 6, 9, 0)


def hours(*values):
    return [None if v is None else T0 + timedelta(hours=v) for v in values]


def frame(**columns):
    n = len(next(iter(columns.values())))
    base = {"ticket_id": [str(i) for i in range(n)], "created_at": [T0] * n}
    return pl.DataFrame({**base, **columns})


class TestTicketVolume:
    def test_counts_contacts(self):
        assert kpi(frame(vendor=["a", "b", "c"]), "ticket_volume").value == 3

    def test_duplicates_are_counted_once_and_reported(self):
        data = pl.DataFrame({"ticket_id": ["1", "2", "2", "2", "3"], "created_at": [T0] * 5})
        result = kpi(data, "ticket_volume")
        assert result.value == 3  # ids 1, 2, 3
        assert result.excluded["duplicate ticket_id"] == 2  # the two repeats of id 2

    def test_empty_frame_is_zero_contacts(self):
        empty = pl.DataFrame(
            {"ticket_id": [], "created_at": []}, schema={"ticket_id": pl.String, "created_at": pl.Datetime}
        )
        assert kpi(empty, "ticket_volume").value == 0


class TestFirstResponseTime:
    def test_median_mean_p90_in_hours(self):
        # replies after 1, 2, 4, 10 hours: median (2+4)/2 = 3, mean 17/4 = 4.25,
        # p90 nearest rank: ceil(0.9*4) = 4th smallest = 10
        result = kpi(frame(first_response_at=hours(1, 2, 4, 10)), "first_response_time")
        assert result.value == 3.0
        assert result.stats == {"mean": 4.25, "median": 3.0, "p90": 10.0}
        assert result.n == 4
        assert result.unit == "hours"

    def test_statistic_parameter_picks_the_headline(self):
        data = frame(first_response_at=hours(1, 2, 4, 10))
        assert kpi(data, "first_response_time", statistic="mean").value == 4.25
        assert kpi(data, "first_response_time", statistic="p90").value == 10.0

    def test_p90_nearest_rank_with_ten_values(self):
        # 1..10 hours: ceil(0.9*10) = 9th smallest = 9 (linear interpolation would give 9.1)
        result = kpi(frame(first_response_at=hours(*range(1, 11))), "first_response_time")
        assert result.stats["p90"] == 9.0

    def test_p90_of_a_single_value_is_that_value(self):
        result = kpi(frame(first_response_at=hours(2.5)), "first_response_time")
        assert result.stats == {"mean": 2.5, "median": 2.5, "p90": 2.5}

    def test_unanswered_and_negative_are_left_out_and_counted(self):
        # one reply after 2 h, one not yet, one "before" the contact was created
        result = kpi(frame(first_response_at=hours(2, None, -1)), "first_response_time")
        assert result.value == 2.0
        assert result.n == 1
        assert result.excluded["no response yet"] == 1
        assert result.excluded["negative duration"] == 1

    def test_seconds_column_used_when_no_timestamp(self):
        data = frame(first_response_seconds=[1800.0, 5400.0, None])
        result = kpi(data, "first_response_time")
        assert result.value == 1.0  # median of 0.5 h and 1.5 h
        assert result.excluded["no response yet"] == 1

    def test_timestamp_wins_over_seconds(self):
        data = frame(first_response_at=hours(2, None), first_response_seconds=[99999.0, 3600.0])
        result = kpi(data, "first_response_time")
        assert result.stats["mean"] == 1.5  # 2 h from the timestamp, 1 h from the seconds

    def test_empty_group_has_no_value(self):
        result = kpi(frame(first_response_at=hours(None, None)), "first_response_time")
        assert result.value is None
        assert result.n == 0
        assert result.stats == {"mean": None, "median": None, "p90": None}

    def test_not_available_without_columns(self):
        result = kpi(frame(vendor=["a"]), "first_response_time")
        assert not result.available
        assert result.value is None
        assert "first_response_at" in result.needs[0]


class TestResolution:
    def test_resolution_time_median_of_even_count(self):
        result = kpi(frame(resolved_at=hours(2, 5, 9, 24)), "resolution_time")
        assert result.value == 7.0  # (5 + 9) / 2
        assert result.stats["mean"] == 10.0  # 40 / 4

    def test_resolution_rate_is_resolved_over_created(self):
        result = kpi(frame(resolved_at=hours(2, None, 9, None, None)), "resolution_rate")
        assert result.value == 40.0  # 2 of 5
        assert result.n == 5

    def test_reopen_rate_over_resolved_only(self):
        data = frame(resolved_at=hours(1, 1, 1, 1, None), reopens=[0, 1, 3, 0, 2])
        result = kpi(data, "reopen_rate")
        assert result.value == 50.0  # 2 reopened of 4 resolved
        assert result.excluded["unresolved"] == 1

    def test_reopen_rate_resolved_without_reopens_value_is_left_out(self):
        data = frame(resolved_at=hours(1, 1, 1), reopens=[0, None, 1])
        result = kpi(data, "reopen_rate")
        assert result.value == 50.0
        assert result.excluded["no reopens value"] == 1


class TestFcr:
    DATA = frame(
        resolved_at=hours(1, 1, 1, 1, 1, None),
        agent_replies=[0, 1, 1, 2, 1, 1],
        reopens=[0, 0, 1, 0, 0, 0],
        customer_contacts=[1, 1, 1, 1, 2, 1],
    )

    @pytest.mark.parametrize(
        ("definition", "expected"),
        [
            # resolved rows: (replies, reopens, contacts) = (0,0,1) (1,0,1) (1,1,1) (2,0,1) (1,0,2)
            ("one_touch", 60.0),  # rows 1, 2, 5: <= 1 reply and no reopen
            ("exactly_one_reply", 40.0),  # rows 2, 5
            ("no_reopen", 80.0),  # all but row 3
            ("single_contact", 60.0),  # rows 1, 2, 4
        ],
    )
    def test_definitions(self, definition, expected):
        result = kpi(self.DATA, "fcr_rate", definition=definition)
        assert result.value == pytest.approx(expected, abs=1e-9)
        assert result.n == 5
        assert result.variant == definition

    def test_definition_lacking_its_column_is_not_available(self):
        data = frame(resolved_at=hours(1), reopens=[0])
        assert not kpi(data, "fcr_rate", definition="single_contact").available
        assert kpi(data, "fcr_rate", definition="no_reopen").value == 100.0

    def test_rows_lacking_a_value_are_left_out(self):
        data = frame(resolved_at=hours(1, 1), agent_replies=[1, None], reopens=[0, 0])
        result = kpi(data, "fcr_rate")
        assert (result.value, result.n) == (100.0, 1)
        assert result.excluded["lacks agent_replies or reopens"] == 1


class TestBacklog:
    def test_open_contacts_without_period(self):
        data = frame(resolved_at=hours(1, None, None, 3))
        result = kpi(data, "backlog")
        assert (result.value, result.n) == (2, 4)

    def test_backlog_per_month_carries_open_contacts_forward(self):
        created = [datetime(2025, 1, 10), datetime(2025, 1, 20), datetime(2025, 2, 5), datetime(2025, 3, 1)]
        resolved = [datetime(2025, 1, 11), datetime(2025, 3, 2), None, datetime(2025, 3, 1, 5)]
        data = pl.DataFrame({"ticket_id": list("abcd"), "created_at": created, "resolved_at": resolved})
        result = compute(data, ["backlog"], period="month")
        by_period = {g.keys["period"]: g.kpis["backlog"].value for g in result.groups}
        # end of Jan: b open (a resolved) -> 1; end of Feb: b, c -> 2; end of Mar: c -> 1
        assert by_period == {"2025-01": 1, "2025-02": 2, "2025-03": 1}


class TestRates:
    def test_escalation_rate(self):
        result = kpi(frame(escalated=[True, False, True, None]), "escalation_rate")
        assert result.value == pytest.approx(200 / 3)
        assert result.excluded["no escalated value"] == 1

    def test_transfer_rate_leaves_out_abandoned(self):
        data = frame(transfers=[0, 2, 1, 0, 5], abandoned=[False, False, False, False, True])
        result = kpi(data, "transfer_rate")
        assert result.value == 50.0  # 2 of 4 handled
        assert result.excluded["abandoned"] == 1

    def test_rates_with_empty_denominator_are_null_not_zero(self):
        assert kpi(frame(escalated=[None, None]), "escalation_rate").value is None


class TestDurationsFromLoadedTimestamps:
    """Durations are differences of UTC instants, whatever offsets or local times the export
    wrote."""

    def load(self, tmp_path, rows, tz):
        from supportkpi import load

        path = tmp_path / "t.csv"
        path.write_text("ticket_id,created_at,resolved_at\n" + "\n".join(rows) + "\n")
        return load([str(path)], timezone=tz).frame

    def test_mixed_offsets(self, tmp_path):
        # 10:00+02:00 is 08:00Z; resolved 09:00Z: 1 h. 08:00-05:00 is 13:00Z; resolved 15:00Z: 2 h
        frame = self.load(
            tmp_path,
            [
                "1,2025-01-06T10:00:00+02:00,2025-01-06T09:00:00Z",
                "2,2025-01-06T08:00:00-05:00,2025-01-06T17:00:00+02:00",
            ],
            "UTC",
        )
        assert kpi(frame, "resolution_time").stats["mean"] == 1.5

    def test_local_times_across_daylight_saving_changes(self, tmp_path):
        # Berlin, 2025-03-30: 01:30 CET -> 03:30 CEST is 1 real hour (02:00-03:00 skipped).
        # 2025-10-26: 01:30 CEST -> 03:30 CET is 3 real hours (02:00-03:00 happens twice).
        frame = self.load(
            tmp_path,
            ["1,2025-03-30 01:30,2025-03-30 03:30", "2,2025-10-26 01:30,2025-10-26 03:30"],
            "Europe/Berlin",
        )
        result = kpi(frame, "resolution_time")
        assert (result.stats["mean"], result.stats["p90"]) == (2.0, 3.0)
