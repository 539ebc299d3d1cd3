/**
 * What pipelines written for the KQL backend share with it: the backend state they may set
 * (`set_state`, checked when a pipeline loads; see ../state.ts).
 */
export const KQL_STATE = {
  product: {
    values: ['defender', 'sentinel'],
    description: 'whose tables and columns the query reads: Defender XDR or Sentinel (default sentinel)',
  },
  timeColumn: {
    type: 'string',
    description: 'the time column (default Timestamp for defender, TimeGenerated for sentinel)',
  },
  eventDataXml: {
    type: 'string',
    description:
      "a string column holding the Windows agent's event XML (Event.EventData): fields `<column>.<Name>` read its <Data Name=…> items",
  },
} as const;
