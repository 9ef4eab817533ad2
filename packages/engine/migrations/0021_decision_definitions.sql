-- DMN decisions, deployed on their own or beside processes: each decision of a file is a version of its id
-- (its key) per tenant, numbered like process versions, and keeps the whole file, which holds the
-- decisions it requires.
CREATE TABLE decision_definitions (
    id VARCHAR(64) PRIMARY KEY,
    key VARCHAR(255) NOT NULL,
    name VARCHAR(255),
    version INTEGER NOT NULL,
    version_tag VARCHAR(255),
    -- the id of the file's definitions element (Camunda 7's decision requirements definition)
    decision_requirements_key VARCHAR(255),
    deployment_id VARCHAR(64) NOT NULL REFERENCES deployments(id),
    tenant_id VARCHAR(100),
    dmn_xml TEXT NOT NULL,
    resource_hash VARCHAR(64) NOT NULL,
    history_time_to_live INTEGER,
    deployed_at TIMESTAMPTZ NOT NULL,
    deployed_by VARCHAR(255) NOT NULL
);
CREATE UNIQUE INDEX decision_definitions_key_version ON decision_definitions (key, version, COALESCE(tenant_id, ''));
CREATE INDEX decision_definitions_deployment ON decision_definitions (deployment_id);
