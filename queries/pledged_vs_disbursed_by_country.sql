-- title: Money pledged versus disbursed, by funding country
-- description: Deal amounts summed by funder, currency and whether the money is recorded as paid (disbursed) or only pledged; currencies are never added together.
SELECT funder_code, currency,
       sum(amount) FILTER (WHERE status = 'disbursed') AS disbursed,
       sum(amount) FILTER (WHERE status <> 'disbursed' AND status <> 'cancelled') AS pledged_not_disbursed,
       count(*) AS deals
FROM deals
WHERE amount IS NOT NULL
GROUP BY funder_code, currency
ORDER BY funder_code, currency;
