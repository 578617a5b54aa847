// Original file: proto/catalog.proto


export interface ServedBy {
  'catalog'?: (string);
  'pricing'?: (string);
  'inventory'?: (string);
}

export interface ServedBy__Output {
  'catalog': (string);
  'pricing': (string);
  'inventory': (string);
}
