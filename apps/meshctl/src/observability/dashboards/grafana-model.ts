// The subset of Grafana's dashboard JSON model (schemaVersion 39, Grafana 10/11)
// that zonemesh dashboards use. Field names and shapes follow
// @grafana/schema's Dashboard, Panel, DataQuery, VariableModel and
// AnnotationQuery; anything we do not emit is left out rather than typed loosely.

/** A provisioned datasource reference; every zonemesh panel queries Prometheus. */
export interface DataSourceRef {
  readonly type: 'prometheus';
  readonly uid: string;
}

/** A Prometheus query of a panel (Grafana's PrometheusQuery). */
export interface PrometheusTarget {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly expr: string;
  /** Legend template, e.g. `{{service}} {{zone}}`. */
  readonly legendFormat?: string;
  /** Range (time series) or instant (stat, table). */
  readonly range: boolean;
  readonly instant: boolean;
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  /** Width in grid columns (24 = full width). */
  readonly w: number;
  readonly h: number;
}

export type Unit = 'reqps' | 's' | 'percentunit' | 'short' | 'bytes' | 'Bps' | 'none';

export interface FieldConfig {
  readonly defaults: {
    readonly unit?: Unit;
    readonly min?: number;
    readonly max?: number;
    readonly decimals?: number;
    readonly custom?: { readonly drawStyle?: 'line' | 'bars'; readonly stacking?: { readonly mode: 'none' | 'normal' }; readonly fillOpacity?: number };
  };
  readonly overrides: readonly never[];
}

interface PanelBase {
  readonly id: number;
  readonly title: string;
  /** What question the panel answers (shown as the panel's info tooltip). */
  readonly description: string;
  readonly gridPos: GridPos;
  readonly datasource: DataSourceRef;
  readonly targets: readonly PrometheusTarget[];
  readonly fieldConfig: FieldConfig;
}

export interface TimeSeriesPanel extends PanelBase {
  readonly type: 'timeseries';
  readonly options: {
    readonly legend: { readonly displayMode: 'list' | 'table'; readonly placement: 'bottom' | 'right'; readonly showLegend: boolean };
    readonly tooltip: { readonly mode: 'single' | 'multi'; readonly sort: 'none' | 'desc' };
  };
}

export interface StatPanel extends PanelBase {
  readonly type: 'stat';
  readonly options: {
    readonly reduceOptions: { readonly calcs: readonly ['lastNotNull']; readonly fields: ''; readonly values: false };
    readonly colorMode: 'value' | 'background';
    readonly graphMode: 'none' | 'area';
    readonly textMode: 'auto' | 'value_and_name';
  };
}

export interface RowPanel {
  readonly id: number;
  readonly type: 'row';
  readonly title: string;
  readonly gridPos: GridPos;
  readonly collapsed: false;
  readonly panels: readonly never[];
}

export type Panel = TimeSeriesPanel | StatPanel;
export type DashboardPanel = Panel | RowPanel;

/** A `query` template variable: values from `label_values(metric, label)`. */
export interface QueryVariable {
  readonly type: 'query';
  readonly name: string;
  readonly label: string;
  readonly datasource: DataSourceRef;
  readonly query: { readonly query: string; readonly refId: string };
  readonly definition: string;
  /** 1 = refresh on dashboard load. */
  readonly refresh: 1 | 2;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly allValue?: string;
  readonly current: { readonly text: string; readonly value: string | readonly string[] };
  readonly sort: 1;
}

/** An annotation source: every sample of `expr` draws a region/mark titled by `titleFormat`. */
export interface PrometheusAnnotation {
  readonly name: string;
  readonly datasource: DataSourceRef;
  readonly enable: boolean;
  readonly hide: boolean;
  readonly iconColor: string;
  readonly expr: string;
  readonly step: string;
  readonly titleFormat: string;
  readonly textFormat: string;
  readonly tagKeys: string;
  readonly useValueForTime: false;
}

/** Grafana's built-in "Annotations & Alerts" entry, kept so the UI stays as Grafana writes it. */
export interface BuiltInAnnotation {
  readonly name: 'Annotations & Alerts';
  readonly builtIn: 1;
  readonly datasource: { readonly type: 'grafana'; readonly uid: '-- Grafana --' };
  readonly enable: true;
  readonly hide: true;
  readonly iconColor: string;
  readonly type: 'dashboard';
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: 39;
  readonly version: 1;
  readonly editable: boolean;
  readonly graphTooltip: 0 | 1 | 2;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timezone: 'browser' | 'utc';
  readonly templating: { readonly list: readonly QueryVariable[] };
  readonly annotations: { readonly list: readonly (BuiltInAnnotation | PrometheusAnnotation)[] };
  readonly panels: readonly DashboardPanel[];
  readonly links: readonly never[];
}
