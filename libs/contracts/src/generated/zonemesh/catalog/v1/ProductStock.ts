// Original file: proto/catalog.proto


export interface ProductStock {
  'available'?: (number);
  'warehouse'?: (string);
}

export interface ProductStock__Output {
  'available': (number);
  'warehouse': (string);
}
