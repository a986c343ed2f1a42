-- title: Money pledged versus disbursed, by funding country and sector
-- description: funding_by_country: each commitment counted once (a new total replaces the row it supersedes; tranches, extensions and amendments add no money), public, private and multilateral money kept apart, and up_to and at_least amounts in their own columns, never added to exact ones. Currencies are never added together; funder_code is empty for private money whose investors the source does not name. Japan's ¥58bn of October 2010 and ¥42bn of February 2011 are counted as parts of the ¥100bn FY2010 extra budget (see the deals' notes).
SELECT funder_code, funder_sector, currency, stage, amount, of_which_approximate, up_to, at_least, deals, deal_ids
FROM funding_by_country
ORDER BY funder_code, funder_sector NULLS LAST, currency, stage;
