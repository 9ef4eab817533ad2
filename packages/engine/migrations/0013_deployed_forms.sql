-- Forms deployed beside processes (form-js JSON, linked by zeebe:formDefinition formId or camunda:formRef),
-- numbered per form id and tenant like process versions; a definition records which version each of its
-- elements links to, chosen when it was deployed.
CREATE TABLE forms (
    id VARCHAR(64) PRIMARY KEY,
    form_key VARCHAR(255) NOT NULL,
    version INTEGER NOT NULL,
    version_tag VARCHAR(255),
    deployment_id VARCHAR(64) NOT NULL REFERENCES deployments(id),
    tenant_id VARCHAR(100),
    schema TEXT NOT NULL,
    resource_hash VARCHAR(64) NOT NULL,
    deployed_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX forms_key_version ON forms (form_key, version, COALESCE(tenant_id, ''));

ALTER TABLE process_definitions ADD COLUMN linked_forms TEXT;
