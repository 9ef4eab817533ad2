-- Protected variables are stored encrypted, so neither their text nor its md5 (a guessable value's md5 is
-- as good as the value) can serve message correlation. Their rows hold a keyed hash (HMAC) of name and
-- value instead, indexed here; the rows of other variables leave it NULL and stay out of the index.
ALTER TABLE process_variables ADD COLUMN value_hash VARCHAR(100);
CREATE INDEX process_variables_value_hash ON process_variables (value_hash) WHERE value_hash IS NOT NULL;
