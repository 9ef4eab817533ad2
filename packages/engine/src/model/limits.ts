/** API.md's limit on the instances of one multi-instance activity, at deploy (a literal cardinality) and at run time */
export const MAX_INSTANCES = 10_000;
