-- Every KPI of supportkpi's catalog (docs/kpi-catalog.md) per vendor and month, as ONE DuckDB
-- query over the benchmark's file. `{source}` is replaced by duckdb_kpis.py with
-- read_csv(...) (canonical column types given) or read_parquet(...). Months are those of
-- created_at in UTC (the connection's TimeZone is set to UTC), as supportkpi's default.
--
-- The formulas follow supportkpi's metrics modules, rule for rule:
-- * a repeated ticket_id is left out of every KPI (one row kept; DuckDB's CSV reader has no file
--   row number, so "the first" is any one; the generated ids are unique, so it cannot matter);
--   rows without created_at fall in no period and are left out after that;
-- * "abandoned" = abandoned is true and there is no answered_at; "answered" = answered_at is
--   known or abandoned is false; "offered" = answered or abandoned;
-- * durations: timestamps win over the given seconds; negative durations are left out;
--   median = mean of the two middle values (median()), p90 = nearest rank (quantile_disc with a
--   DECIMAL fraction: the ceil(0.9 n)-th smallest, in integer arithmetic);
-- * rates are 100 * count(numerator and denominator) / count(denominator), null when empty
--   (counts are count(*) FILTER (...), which is 0 for an empty group where count_if() is NULL);
-- * backlog is a stock: contacts created up to the month's end minus those of them resolved by
--   then, per vendor; the resolution months are collected in the same pass (histogram()).
-- supportkpi also counts every exclusion reason and runs data-quality checks; this query does
-- not (it computes the figures, not the report).
WITH
contacts AS (
    SELECT *
    FROM {source}
    QUALIFY ticket_id IS NULL OR row_number() OVER (PARTITION BY ticket_id) = 1
),
facts AS (
    SELECT
        vendor,
        date_trunc('month', created_at) AS month,
        coalesce(abandoned, false) AND answered_at IS NULL AS ab,
        answered_at IS NOT NULL OR coalesce(NOT abandoned, false) AS answered,
        coalesce((epoch_us(first_response_at) - epoch_us(created_at)) / 1e6,
                 first_response_seconds) AS fr_s,
        coalesce((epoch_us(resolved_at) - epoch_us(created_at)) / 1e6,
                 resolution_seconds) AS res_s,
        resolved_at IS NOT NULL OR resolution_seconds IS NOT NULL AS has_resolution,
        coalesce(resolved_at,
                 created_at + to_microseconds(CAST(resolution_seconds * 1e6 AS BIGINT))) AS resolved_when,
        created_at,
        reopens, agent_replies, transfers, escalated, csat, nps, ces, qa_score,
        wait_seconds, talk_seconds, hold_seconds, acw_seconds, converted
    FROM contacts
    WHERE created_at IS NOT NULL
),
f AS (
    SELECT
        *,
        answered OR ab AS offered,
        has_resolution AND NOT ab AS resolved,
        NOT ab AND fr_s >= 0 AS fr_ok,
        NOT ab AND res_s >= 0 AS res_ok,
        -- handle time: answered, every part known, none negative
        answered AND talk_seconds IS NOT NULL AND hold_seconds IS NOT NULL
            AND acw_seconds IS NOT NULL
            AND least(talk_seconds, hold_seconds, acw_seconds) >= 0 AS aht_ok,
        talk_seconds + hold_seconds + acw_seconds AS handle_s,
        answered AND talk_seconds >= 0 AS talk_ok,
        answered AND hold_seconds >= 0 AS hold_ok,
        answered AND acw_seconds >= 0 AS acw_ok,
        answered AND wait_seconds >= 0 AS asa_ok,
        coalesce(wait_seconds < 0, false) AS neg_wait,
        coalesce(wait_seconds >= 0, false) AS has_wait,
        ab AND coalesce(wait_seconds >= 0 AND wait_seconds < 5, false) AS short_ab,
        csat BETWEEN 1 AND 5 AS csat_ok,
        nps BETWEEN 0 AND 10 AND nps = round(nps) AS nps_ok,
        ces BETWEEN 1 AND 7 AS ces_ok,
        qa_score BETWEEN 0 AND 100 AS qa_ok,
        -- backlog: resolved "before" creation counts as resolved at creation
        CASE WHEN resolved_when IS NOT NULL THEN date_trunc('month', greatest(resolved_when, created_at))
        END AS resolved_month
    FROM facts
),
g AS (
    SELECT
        vendor,
        month,
        count(*) AS ticket_volume__value,
        count(*) AS ticket_volume__n,

        count(*) FILTER (fr_ok) AS first_response_time__n,
        avg(fr_s / 3600) FILTER (fr_ok) AS first_response_time__mean,
        median(fr_s / 3600) FILTER (fr_ok) AS first_response_time__median,
        quantile_disc(fr_s / 3600, 0.9) FILTER (fr_ok) AS first_response_time__p90,

        count(*) FILTER (res_ok) AS resolution_time__n,
        avg(res_s / 3600) FILTER (res_ok) AS resolution_time__mean,
        median(res_s / 3600) FILTER (res_ok) AS resolution_time__median,
        quantile_disc(res_s / 3600, 0.9) FILTER (res_ok) AS resolution_time__p90,

        count(*) FILTER (NOT ab) AS resolution_rate__n,
        count(*) FILTER (NOT ab AND resolved) * 100.0::DOUBLE
            / nullif(count(*) FILTER (NOT ab), 0) AS resolution_rate__value,

        count(*) FILTER (resolved AND reopens IS NOT NULL) AS reopen_rate__n,
        count(*) FILTER (resolved AND reopens > 0) * 100.0::DOUBLE
            / nullif(count(*) FILTER (resolved AND reopens IS NOT NULL), 0) AS reopen_rate__value,

        -- fcr_rate, definition one_touch: <= 1 agent reply and never reopened
        count(*) FILTER (resolved AND agent_replies IS NOT NULL AND reopens IS NOT NULL) AS fcr_rate__n,
        count(*) FILTER (resolved AND agent_replies <= 1 AND reopens = 0) * 100.0::DOUBLE
            / nullif(count(*) FILTER (resolved AND agent_replies IS NOT NULL AND reopens IS NOT NULL), 0)
            AS fcr_rate__value,

        count(*) FILTER (NOT ab) AS backlog_created,
        histogram(resolved_month) FILTER (NOT ab AND resolved_month IS NOT NULL) AS backlog_resolved,

        count(*) FILTER (escalated IS NOT NULL) AS escalation_rate__n,
        count(*) FILTER (escalated) * 100.0::DOUBLE
            / nullif(count(*) FILTER (escalated IS NOT NULL), 0) AS escalation_rate__value,

        count(*) FILTER (NOT ab AND transfers IS NOT NULL) AS transfer_rate__n,
        count(*) FILTER (NOT ab AND transfers > 0) * 100.0::DOUBLE
            / nullif(count(*) FILTER (NOT ab AND transfers IS NOT NULL), 0) AS transfer_rate__value,

        -- csat, variant top_box: 4 or 5 of all answers on 1-5
        count(*) FILTER (csat_ok) AS csat__n,
        count(*) FILTER (csat_ok AND csat >= 4) * 100.0::DOUBLE
            / nullif(count(*) FILTER (csat_ok), 0) AS csat__value,

        count(*) FILTER (nps_ok) AS nps__n,
        (count(*) FILTER (nps_ok AND nps >= 9) - count(*) FILTER (nps_ok AND nps <= 6)) * 100.0::DOUBLE
            / nullif(count(*) FILTER (nps_ok), 0) AS nps__value,
        count(*) FILTER (nps_ok AND nps >= 9) * 100.0::DOUBLE
            / nullif(count(*) FILTER (nps_ok), 0) AS nps__promoters_pct,
        count(*) FILTER (nps_ok AND nps <= 6) * 100.0::DOUBLE
            / nullif(count(*) FILTER (nps_ok), 0) AS nps__detractors_pct,

        count(*) FILTER (ces_ok) AS ces__n,
        avg(ces) FILTER (ces_ok) AS ces__value,

        count(*) FILTER (qa_ok) AS qa_score__n,
        avg(qa_score) FILTER (qa_ok) AS qa_score__value,

        count(*) FILTER (aht_ok) AS aht__n,
        avg(handle_s) FILTER (aht_ok) AS aht__mean,
        median(handle_s) FILTER (aht_ok) AS aht__median,
        quantile_disc(handle_s, 0.9) FILTER (aht_ok) AS aht__p90,

        count(*) FILTER (talk_ok) AS talk_time__n,
        avg(talk_seconds) FILTER (talk_ok) AS talk_time__mean,
        median(talk_seconds) FILTER (talk_ok) AS talk_time__median,
        quantile_disc(talk_seconds, 0.9) FILTER (talk_ok) AS talk_time__p90,

        count(*) FILTER (hold_ok) AS hold_time__n,
        avg(hold_seconds) FILTER (hold_ok) AS hold_time__mean,
        median(hold_seconds) FILTER (hold_ok) AS hold_time__median,
        quantile_disc(hold_seconds, 0.9) FILTER (hold_ok) AS hold_time__p90,

        count(*) FILTER (acw_ok) AS acw_time__n,
        avg(acw_seconds) FILTER (acw_ok) AS acw_time__mean,
        median(acw_seconds) FILTER (acw_ok) AS acw_time__median,
        quantile_disc(acw_seconds, 0.9) FILTER (acw_ok) AS acw_time__p90,

        count(*) FILTER (asa_ok) AS asa__n,
        avg(wait_seconds) FILTER (asa_ok) AS asa__mean,
        median(wait_seconds) FILTER (asa_ok) AS asa__median,
        quantile_disc(wait_seconds, 0.9) FILTER (asa_ok) AS asa__p90,

        -- service_level, variant abandons_missed, T = 20 s, short abandon < 5 s
        count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab AND (has_wait OR ab)) AS service_level__n,
        count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab AND answered AND has_wait
                         AND wait_seconds <= 20) * 100.0::DOUBLE
            / nullif(count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab AND (has_wait OR ab)), 0)
            AS service_level__value,

        count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab) AS abandonment_rate__n,
        count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab AND ab) * 100.0::DOUBLE
            / nullif(count(*) FILTER (offered AND NOT neg_wait AND NOT short_ab), 0)
            AS abandonment_rate__value,

        count(*) FILTER (converted IS NOT NULL AND NOT ab) AS conversion_rate__n,
        count(*) FILTER (converted AND NOT ab) * 100.0::DOUBLE
            / nullif(count(*) FILTER (converted IS NOT NULL AND NOT ab), 0) AS conversion_rate__value
    FROM f
    GROUP BY vendor, month
),
resolved_per_month AS (
    SELECT vendor, month, sum(resolved) AS resolved
    FROM (
        SELECT vendor, unnest(map_keys(backlog_resolved)) AS month,
               unnest(map_values(backlog_resolved)) AS resolved
        FROM g
    )
    GROUP BY vendor, month
),
stock AS (
    SELECT
        coalesce(c.vendor, r.vendor) AS vendor,
        coalesce(c.month, r.month) AS month,
        sum(coalesce(c.backlog_created, 0)) OVER w AS created_by_then,
        sum(coalesce(r.resolved, 0)) OVER w AS resolved_by_then
    FROM (SELECT vendor, month, backlog_created FROM g) AS c
    FULL JOIN resolved_per_month AS r
        ON c.vendor IS NOT DISTINCT FROM r.vendor AND c.month = r.month
    WINDOW w AS (PARTITION BY coalesce(c.vendor, r.vendor) ORDER BY coalesce(c.month, r.month)
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT
    g.* EXCLUDE (month, backlog_created, backlog_resolved),
    strftime(g.month, '%Y-%m') AS period,
    first_response_time__median AS first_response_time__value,
    resolution_time__median AS resolution_time__value,
    aht__mean AS aht__value,
    talk_time__mean AS talk_time__value,
    hold_time__mean AS hold_time__value,
    acw_time__mean AS acw_time__value,
    asa__mean AS asa__value,
    stock.created_by_then - stock.resolved_by_then AS backlog__value,
    stock.created_by_then AS backlog__n
FROM g
LEFT JOIN stock ON g.vendor IS NOT DISTINCT FROM stock.vendor AND g.month = stock.month
ORDER BY g.vendor, g.month
