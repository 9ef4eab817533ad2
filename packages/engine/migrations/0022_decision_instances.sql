-- Decision history, as Camunda 7 keeps its historic decision instances at history level full: each
-- evaluation of a decision, with the value of each of its inputs, the rules behind its result with their
-- outputs, and where it was evaluated. A decision that a business rule task evaluated belongs to its
-- process instance and goes with it; one evaluated through the API has a removal time of its own. The
-- decisions an evaluation required first are rows of their own that name the decision asked for.
CREATE TABLE decision_instances (
    id VARCHAR(64) PRIMARY KEY,
    decision_definition_id VARCHAR(64) NOT NULL REFERENCES decision_definitions(id),
    decision_key VARCHAR(255) NOT NULL,
    decision_name VARCHAR(255),
    decision_version INTEGER NOT NULL,
    root_decision_instance_id VARCHAR(64),
    process_instance_id VARCHAR(64) REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64),
    process_definition_key VARCHAR(255),
    activity_id VARCHAR(255),
    activity_instance_id VARCHAR(64),
    tenant_id VARCHAR(100),
    evaluated_at TIMESTAMPTZ NOT NULL,
    user_id VARCHAR(255),
    -- JSON: [{ input_id, label?, value }] and [{ rule_id, rule_order, output_id, name, label?, value }]
    inputs TEXT NOT NULL,
    outputs TEXT NOT NULL,
    -- JSON: the value a COLLECT aggregation gave
    collect_result_value TEXT,
    removal_time TIMESTAMPTZ
);
CREATE INDEX decision_instances_key_evaluated ON decision_instances (decision_key, evaluated_at);
CREATE INDEX decision_instances_evaluated ON decision_instances (evaluated_at);
CREATE INDEX decision_instances_instance ON decision_instances (process_instance_id) WHERE process_instance_id IS NOT NULL;
CREATE INDEX decision_instances_root ON decision_instances (root_decision_instance_id) WHERE root_decision_instance_id IS NOT NULL;
CREATE INDEX decision_instances_removal_time ON decision_instances (removal_time) WHERE removal_time IS NOT NULL;
