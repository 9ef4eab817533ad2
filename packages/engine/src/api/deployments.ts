// Deployments: what one deploy made (a BPMN file with the DMN and form files beside it) or one deployment
// of a DMN file, read and deleted as a whole, as Camunda 7's repository reads and deletes them.
import type { PageQuery } from './engine.js';

/** sorted by `id` (the order they were made in) unless `sort` names `name`, `deployed_at` or `tenant_id` */
export interface DeploymentQuery extends PageQuery {
  id?: string;
  name?: string;
  /** a LIKE pattern, as Camunda 7's `nameLike`: `%` stands for any text, `_` for any one character */
  name_like?: string;
  source?: string;
  /** true: only deployments that name no source */
  without_source?: boolean;
  /** only deployments of these tenants (and of none too, with include_without_tenant_id) */
  tenant_id_in?: string[];
  include_without_tenant_id?: boolean;
  /** true: only deployments of no tenant */
  without_tenant_id?: boolean;
  /** made strictly after this time (ISO 8601) */
  deployed_after?: string;
  /** made strictly before this time (ISO 8601) */
  deployed_before?: string;
}

export interface Deployment {
  id: string;
  name?: string;
  source?: string;
  tenant_id?: string;
  deployed_at: string;
  deployed_by: string;
}

export type DeploymentResourceType = 'bpmn' | 'dmn' | 'form';

/**
 * A file of a deployment. The engine keeps no file names: a file is named after what it holds, and known
 * by the id of the first definition made from it (a process definition deleted on its own passes that on
 * to the next of the same file).
 */
export interface DeploymentResource {
  /** a BPMN file: its first process definition's id; a DMN file: its first decision definition's id; a form: the form's id */
  id: string;
  /** `<key of its first process>.bpmn`, `<id of its definitions element>.dmn` (its first decision's key when it has none), `<form id>.form` */
  name: string;
  type: DeploymentResourceType;
}

export interface DeploymentDetails extends Deployment {
  /** the BPMN file first, then the DMN files and the forms, each by name */
  resources: DeploymentResource[];
}

export interface DeploymentResourceContent extends DeploymentResource {
  /** the file as it was deployed */
  content: string;
}
