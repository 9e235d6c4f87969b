-- One batch of the per-filing checks (every rule but the cross-filing ones): the warehouse
-- tables that grow with the filings, cut down to the filings of `_scope`, as temp tables of
-- the same names. The temp schema is searched first, so each check and each helper view reads
-- only the batch's rows: a check's memory is a batch's, whatever the size of the warehouse.
-- A per-filing rule reads no other filing's rows, so its findings are the same.
CREATE OR REPLACE TEMP TABLE filing AS SELECT * FROM main.filing WHERE filing_id IN (SELECT filing_id FROM _scope);
CREATE OR REPLACE TEMP TABLE filing_table AS SELECT * FROM main.filing_table WHERE filing_id IN (SELECT filing_id FROM _scope);
CREATE OR REPLACE TEMP TABLE fact AS SELECT * FROM main.fact WHERE filing_id IN (SELECT filing_id FROM _scope);
CREATE OR REPLACE TEMP TABLE claim AS SELECT * FROM main.claim WHERE filing_id IN (SELECT filing_id FROM _scope);
