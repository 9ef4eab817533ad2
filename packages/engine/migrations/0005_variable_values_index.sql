-- Variables by name and value serve message correlation. A B-tree entry holds at most about 2,700 bytes,
-- so a longer value (a multi-instance collection of a few hundred items, say) could not be written at all:
-- the index holds the value's md5 instead, and correlation compares the hash, then the value.
DROP INDEX process_variables_name_text;
CREATE INDEX process_variables_name_text ON process_variables (name, md5(value_text));
