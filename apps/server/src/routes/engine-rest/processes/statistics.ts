// Camunda 7's process definition statistics, which a monitoring dashboard reads: per version its running
// instances and, when asked, its failed jobs and open incidents by type; per activity of one version the
// same, which the overlays of its diagram show.
import { EngineError, type ActivityStatistics, type DefinitionStatistics, type StatisticsCounts } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { isEngineErrorOf } from '../camunda-not-found.js';
import { camundaDefinition } from '../definition-dto.js';
import { latestVersion } from './definition-query.js';
import { activityStatisticsSchema, definitionStatisticsSchema } from './statistics-schemas.js';

interface Flags {
  failedJobs?: boolean;
  incidents?: boolean;
  incidentsForType?: string;
  rootIncidents?: boolean;
}

interface Address {
  id?: string;
  key?: string;
  tenantId?: string;
}

const PACKAGE = 'org.camunda.bpm.engine.rest.dto.repository';

/** Camunda takes at most one of the incident options, and says which two it was given */
function counts(flags: Flags, options: (keyof Flags)[]): StatisticsCounts {
  const given = options.filter((name) => flags[name] !== undefined);
  if (given.length > 1) {
    throw new EngineError('VALIDATION_ERROR', `Only one of the query parameter ${given[0]} or ${given[1]} can be set.`);
  }
  return { failed_jobs: flags.failedJobs === true, incidents: flags.incidents === true, incident_type: flags.incidentsForType, root_incidents: options.includes('rootIncidents') && flags.rootIncidents === true };
}

const incidentsOf = (s: ActivityStatistics | DefinitionStatistics) => s.incidents.map((i) => ({ incidentType: i.incident_type, incidentCount: i.count }));

export async function camundaStatisticsRoutes(app: FastifyInstance): Promise<void> {
  // the counts are of definitions and of their instances: every caller that reads both reads them
  const mayRead = permit('instances:read');

  app.get<{ Querystring: Flags }>('/statistics', { config: mayRead, schema: definitionStatisticsSchema }, async (request) => {
    // Camunda checks the pairs in this order: incidents with incidentsForType, with rootIncidents, then the last two
    const statistics = await request.engine.definitionStatistics(counts(request.query, ['incidents', 'incidentsForType', 'rootIncidents']));
    return statistics.map((s) => ({
      '@class': `${PACKAGE}.ProcessDefinitionStatisticsResultDto`,
      id: s.definition.id, instances: s.instances, failedJobs: s.failed_jobs, definition: camundaDefinition(s.definition), incidents: incidentsOf(s),
    }));
  });

  const activities = async (request: FastifyRequest<{ Params: Address; Querystring: Flags }>) => {
    const options = counts(request.query, ['incidents', 'incidentsForType']);
    const { id, key, tenantId } = request.params;
    const definitionId = id ?? (await latestVersion(request.engine, key!, tenantId)).id;
    const statistics = await request.engine.activityStatistics(definitionId, options).catch((e: unknown) => {
      // Camunda counts the activities of whatever id it is given: none for an unknown one
      if (id !== undefined && isEngineErrorOf(e, 'NOT_FOUND')) return [];
      throw e;
    });
    return statistics.map((s) => ({
      '@class': `${PACKAGE}.ActivityStatisticsResultDto`, id: s.activity_id, instances: s.instances, failedJobs: s.failed_jobs, incidents: incidentsOf(s),
    }));
  };
  for (const path of ['/:id', '/key/:key', '/key/:key/tenant-id/:tenantId']) {
    app.get<{ Params: Address; Querystring: Flags }>(`${path}/statistics`, { config: mayRead, schema: activityStatisticsSchema(path) }, activities);
  }
}
