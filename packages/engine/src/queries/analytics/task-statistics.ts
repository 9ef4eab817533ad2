// Task statistics (GET /tasks/statistics): tasks created in the period, overall, per assignee and per
// task of a process.
import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { ms } from './aggregates.js';
import { taskFigures } from './figures.js';
import { toWirePeriod, type Period } from './period.js';
import { tasksCreatedIn } from './period-rows.js';
import type { TaskFigures, TaskStatistics } from './types.js';

export async function taskStatisticsOf(ctx: QueryContext, p: Period): Promise<TaskStatistics> {
  const figures = taskFigures(ctx.now());
  const [total, byAssignee, byTask] = await Promise.all([
    tasksCreatedIn(ctx, p).select(figures).executeTakeFirstOrThrow(),
    tasksCreatedIn(ctx, p).where('tasks.assignee', 'is not', null)
      .select(figures).select(sql<string>`tasks.assignee`.as('assignee'))
      .groupBy('tasks.assignee').orderBy('tasks.assignee').execute(),
    tasksCreatedIn(ctx, p)
      .select(figures)
      .select((eb) => ['tasks.process_definition_key', 'tasks.task_definition_key', eb.fn.max('tasks.name').as('name')])
      .groupBy(['tasks.process_definition_key', 'tasks.task_definition_key'])
      .orderBy('tasks.process_definition_key').orderBy('tasks.task_definition_key').execute(),
  ]);
  return {
    period: toWirePeriod(p),
    ...toTaskFigures(total),
    by_assignee: byAssignee.map((row) => ({ assignee: row.assignee, ...toTaskFigures(row) })),
    by_task: byTask.map((row) => ({
      process_definition_key: row.process_definition_key,
      task_definition_key: row.task_definition_key,
      name: row.name,
      ...toTaskFigures(row),
    })),
  };
}

type FigureRow = Omit<TaskFigures, 'average_completion_time'> & { average_completion_time: number | null };

const toTaskFigures = (row: FigureRow): TaskFigures => ({
  total: row.total,
  open: row.open,
  completed: row.completed,
  cancelled: row.cancelled,
  overdue: row.overdue,
  unassigned: row.unassigned,
  average_completion_time: ms(row.average_completion_time),
});
