-- Initial schema: the seed's tables plus what execution needs (executions, subscriptions, external
-- tasks, activity history, outbox). Forward-only: never edit a migration once it has landed.

CREATE TABLE deployments (
    id VARCHAR(64) PRIMARY KEY,
    name VARCHAR(255),
    source VARCHAR(255),
    tenant_id VARCHAR(100),
    deployed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deployed_by VARCHAR(255) NOT NULL
);

CREATE TABLE process_definitions (
    id VARCHAR(64) PRIMARY KEY,
    key VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL,
    version INTEGER NOT NULL,
    category VARCHAR(100),
    description TEXT,
    deployment_id VARCHAR(64) NOT NULL REFERENCES deployments(id),
    deployed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deployed_by VARCHAR(255) NOT NULL,
    bpmn_xml TEXT NOT NULL,
    diagram TEXT,
    active BOOLEAN NOT NULL DEFAULT true,
    suspended BOOLEAN NOT NULL DEFAULT false,
    tenant_id VARCHAR(100),
    resource_hash VARCHAR(64) NOT NULL,
    version_tag VARCHAR(255)
);
-- NULL tenants must collide too, so the unique key coalesces them.
CREATE UNIQUE INDEX process_definitions_key_version ON process_definitions (key, version, COALESCE(tenant_id, ''));
CREATE INDEX process_definitions_deployment ON process_definitions (deployment_id);

CREATE TABLE process_instances (
    id VARCHAR(64) PRIMARY KEY,
    process_definition_id VARCHAR(64) NOT NULL REFERENCES process_definitions(id),
    process_definition_key VARCHAR(255) NOT NULL,
    business_key VARCHAR(255),
    start_time TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    end_time TIMESTAMPTZ,
    duration BIGINT,
    status VARCHAR(50) NOT NULL DEFAULT 'active',
    started_by VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100),
    super_instance_id VARCHAR(64),
    super_execution_id VARCHAR(64),
    root_instance_id VARCHAR(64) NOT NULL,
    delete_reason TEXT,
    suspension_state VARCHAR(20) NOT NULL DEFAULT 'active',
    -- next value for activity_instances.seq; the root row is locked by every command anyway
    sequence_counter INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX process_instances_key_status ON process_instances (process_definition_key, status);
CREATE INDEX process_instances_status_start ON process_instances (status, start_time);
CREATE INDEX process_instances_business_key ON process_instances (business_key);
CREATE INDEX process_instances_definition ON process_instances (process_definition_id);
CREATE INDEX process_instances_super ON process_instances (super_instance_id);

-- The execution tree: scope executions (the instance itself, embedded sub-processes) and the tokens
-- beneath them. A token that is waiting (task, catch event, join) stays here between commands.
CREATE TABLE executions (
    id VARCHAR(64) PRIMARY KEY,
    process_instance_id VARCHAR(64) NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
    parent_id VARCHAR(64),
    activity_id VARCHAR(255),
    activity_instance_id VARCHAR(64),
    transition_id VARCHAR(255),
    state VARCHAR(20) NOT NULL,
    is_scope BOOLEAN NOT NULL DEFAULT false,
    data TEXT
);
CREATE INDEX executions_instance ON executions (process_instance_id);

CREATE TABLE process_variables (
    id VARCHAR(64) PRIMARY KEY,
    instance_id VARCHAR(64) NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
    execution_id VARCHAR(64) NOT NULL,
    task_id VARCHAR(64),
    activity_instance_id VARCHAR(64),
    name VARCHAR(255) NOT NULL,
    type VARCHAR(50) NOT NULL,
    -- the value as JSON text, whatever its type; the typed columns below make numbers queryable
    value_text TEXT,
    value_long BIGINT,
    value_double DOUBLE PRECISION,
    value_bytes BYTEA,
    value_info TEXT,
    serialization_data_format VARCHAR(100),
    is_transient BOOLEAN NOT NULL DEFAULT false,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX process_variables_scope_name ON process_variables (execution_id, name);
CREATE INDEX process_variables_instance ON process_variables (instance_id);
CREATE INDEX process_variables_name_text ON process_variables (name, value_text);

CREATE TABLE tasks (
    id VARCHAR(64) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    process_instance_id VARCHAR(64) REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64) NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    task_definition_key VARCHAR(255) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    activity_instance_id VARCHAR(64),
    assignee VARCHAR(255),
    owner VARCHAR(255),
    delegation_state VARCHAR(20),
    status VARCHAR(20) NOT NULL DEFAULT 'created',
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    end_time TIMESTAMPTZ,
    completed_by VARCHAR(255),
    due TIMESTAMPTZ,
    follow_up TIMESTAMPTZ,
    priority INTEGER NOT NULL DEFAULT 50,
    suspension_state VARCHAR(20) NOT NULL DEFAULT 'active',
    tenant_id VARCHAR(100),
    form_key VARCHAR(255),
    cam_form_ref VARCHAR(255),
    parent_task_id VARCHAR(64),
    case_execution_id VARCHAR(255),
    case_instance_id VARCHAR(255),
    case_definition_id VARCHAR(255)
);
CREATE INDEX tasks_status_assignee ON tasks (status, assignee);
CREATE INDEX tasks_instance ON tasks (process_instance_id);
CREATE INDEX tasks_definition_key ON tasks (process_definition_key, task_definition_key);

CREATE TABLE task_identity_links (
    id VARCHAR(64) PRIMARY KEY,
    task_id VARCHAR(64) NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    type VARCHAR(50) NOT NULL, -- 'candidate', 'assignee', 'owner'
    group_id VARCHAR(255),
    user_id VARCHAR(255),
    tenant_id VARCHAR(100)
);
CREATE INDEX task_identity_links_task ON task_identity_links (task_id);
CREATE INDEX task_identity_links_group ON task_identity_links (group_id);
CREATE INDEX task_identity_links_user ON task_identity_links (user_id);

-- Service, send and business-rule tasks waiting for a worker on a topic.
CREATE TABLE external_tasks (
    id VARCHAR(64) PRIMARY KEY,
    process_instance_id VARCHAR(64) NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64) NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    activity_instance_id VARCHAR(64),
    topic_name VARCHAR(255) NOT NULL,
    business_key VARCHAR(255),
    tenant_id VARCHAR(100),
    worker_id VARCHAR(255),
    lock_expiration_time TIMESTAMPTZ,
    retries INTEGER,
    error_message TEXT,
    error_details TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    suspended BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX external_tasks_topic ON external_tasks (topic_name, lock_expiration_time);
CREATE INDEX external_tasks_instance ON external_tasks (process_instance_id);

-- What a waiting token (or a deployed definition's message start event) listens for.
CREATE TABLE event_subscriptions (
    id VARCHAR(64) PRIMARY KEY,
    event_type VARCHAR(20) NOT NULL, -- 'message', 'signal', 'conditional', 'compensate'
    event_name VARCHAR(255),
    process_instance_id VARCHAR(64) REFERENCES process_instances(id) ON DELETE CASCADE,
    execution_id VARCHAR(64),
    activity_id VARCHAR(255) NOT NULL,
    process_definition_id VARCHAR(64) NOT NULL,
    tenant_id VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX event_subscriptions_name ON event_subscriptions (event_type, event_name);
CREATE INDEX event_subscriptions_instance ON event_subscriptions (process_instance_id);

CREATE TABLE incidents (
    id VARCHAR(64) PRIMARY KEY,
    incident_timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    incident_type VARCHAR(100) NOT NULL,
    execution_id VARCHAR(64),
    activity_id VARCHAR(255),
    activity_name VARCHAR(255),
    process_instance_id VARCHAR(64) REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64),
    cause_incident_id VARCHAR(64),
    root_cause_incident_id VARCHAR(64),
    -- the id of the failed work (external task or job) the incident stands for
    configuration VARCHAR(255),
    incident_message TEXT,
    tenant_id VARCHAR(100),
    job_definition_id VARCHAR(255),
    annotation TEXT,
    assignee VARCHAR(255),
    status VARCHAR(50) NOT NULL DEFAULT 'open',
    resolved_at TIMESTAMPTZ,
    resolved_by VARCHAR(255),
    resolution_type VARCHAR(20),
    resolution_message TEXT
);
CREATE INDEX incidents_status ON incidents (status, incident_type);
CREATE INDEX incidents_instance ON incidents (process_instance_id);

CREATE TABLE incident_history (
    id VARCHAR(64) PRIMARY KEY,
    incident_id VARCHAR(64) NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    action VARCHAR(20) NOT NULL,
    message TEXT NOT NULL,
    user_id VARCHAR(255),
    details TEXT
);
CREATE INDEX incident_history_incident ON incident_history (incident_id);

-- Activity instances, one per arrival of a token at an element; ordered by seq they are the
-- instance's execution path.
CREATE TABLE activity_instances (
    id VARCHAR(64) PRIMARY KEY,
    process_instance_id VARCHAR(64) NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64) NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    seq INTEGER NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    parent_activity_instance_id VARCHAR(64),
    activity_id VARCHAR(255) NOT NULL,
    activity_name VARCHAR(255),
    activity_type VARCHAR(50) NOT NULL,
    transition_id VARCHAR(255),
    status VARCHAR(20) NOT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    end_time TIMESTAMPTZ,
    duration BIGINT,
    assignee VARCHAR(255),
    task_id VARCHAR(64),
    called_process_instance_id VARCHAR(64),
    -- false for elements that are entered but are no step of the path (a multi-instance body)
    in_path BOOLEAN NOT NULL DEFAULT true
);
CREATE INDEX activity_instances_instance ON activity_instances (process_instance_id, seq);
CREATE INDEX activity_instances_activity ON activity_instances (process_definition_key, activity_id);

CREATE TABLE audit_log (
    id VARCHAR(64) PRIMARY KEY,
    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    process_instance_id VARCHAR(64),
    execution_id VARCHAR(64),
    task_id VARCHAR(64),
    activity_id VARCHAR(255),
    activity_name VARCHAR(255),
    activity_type VARCHAR(100),
    process_definition_id VARCHAR(64),
    process_definition_key VARCHAR(255),
    assignee VARCHAR(255),
    operation VARCHAR(100) NOT NULL,
    user_id VARCHAR(255),
    property VARCHAR(255),
    org_value TEXT,
    new_value TEXT,
    tenant_id VARCHAR(100),
    removal_time TIMESTAMPTZ
);
CREATE INDEX audit_log_instance ON audit_log (process_instance_id, timestamp);

-- Events written in the command's transaction and published after commit (at-least-once).
CREATE TABLE outbox (
    seq INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id VARCHAR(64) NOT NULL UNIQUE,
    type VARCHAR(100) NOT NULL,
    process_instance_id VARCHAR(64),
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

-- Answers of POST commands sent with an Idempotency-Key header.
CREATE TABLE idempotency_keys (
    key VARCHAR(255) PRIMARY KEY,
    request_hash VARCHAR(64) NOT NULL,
    status_code INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
