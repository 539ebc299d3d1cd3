/**
 * Microsoft Sentinel with Windows events in the `Event` table: what a workspace has when the Azure
 * Monitor Agent collects Sysmon and other channels through a data collection rule, or when the
 * legacy Log Analytics agent did. `Source` names the provider, `EventLog` the channel, and
 * `EventData` is the agent's XML (`<DataItem><EventData><Data Name="Image">…</Data>…`): the KQL
 * backend reads the Sigma fields from its `Data` items by name (state `eventDataXml`), parsing
 * only the rows that pass the header conditions and `has` terms the rule implies.
 *
 * The routes are the `sentinel` pipeline's WindowsEvent routes, with the header columns renamed;
 * Security events stay in SecurityEvent, as in `sentinel`.
 */
import type { ConditionMap, PipelineSpec, Route } from '../types.js';
import { sentinel } from './sentinel.js';
import { SOURCE_TRANSFORMATIONS } from './sentinel-sources.js';

/** WindowsEvent header columns → Event's. */
const HEADER: Record<string, string> = { Provider: 'Source', Channel: 'EventLog', EventID: 'EventID' };

function toEventConditions(c: ConditionMap): ConditionMap {
  const out: ConditionMap = {};
  for (const [key, value] of Object.entries(c)) {
    const [field, ...mods] = key.split('|');
    out[[HEADER[field!] ?? field!, ...mods].join('|')] = value;
  }
  return out;
}

const routes: Route[] = (sentinel.routes ?? []).map((r) =>
  r.table === 'WindowsEvent'
    ? { ...r, table: 'Event', ...(r.conditions ? { conditions: toEventConditions(r.conditions) } : {}) }
    : r,
);

export const sentinelEvent: PipelineSpec = {
  name: 'sentinel-event',
  description:
    'Microsoft Sentinel, Windows events in the Event table (Azure Monitor Agent with a DCR, or the legacy agent): Security events → SecurityEvent; Sysmon, PowerShell, WMI and other channels → Event (XML EventData)',
  targets: ['kql'],
  routes,
  transformations: [
    { type: 'set_state', state: { product: 'sentinel', timeColumn: 'TimeGenerated' } },
    { type: 'set_state', when: { table: 'Event' }, state: { eventDataXml: 'EventData' } },
    {
      type: 'field_map',
      when: { table: 'Event' },
      map: {
        Provider_Name: 'Source',
        Provider: 'Source',
        EventID: 'EventID',
        Channel: 'EventLog',
        Computer: 'Computer',
      },
    },
    {
      type: 'field_template',
      when: { table: 'Event' },
      template: 'EventData.{field}',
      // WindowsEvent's other header columns (Keywords, Opcode, Task, Version) are not in Event:
      // left unmapped, a rule reading one fails with C002 rather than reading an absent Data item.
      except: ['EventID', 'Computer', 'Keywords', 'Opcode', 'Task', 'Version'],
    },
    // The routes of other products are sentinel's (SOURCE_ROUTES): so are their field maps.
    ...SOURCE_TRANSFORMATIONS,
  ],
};
