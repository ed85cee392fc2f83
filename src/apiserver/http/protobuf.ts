// The API server's one protobuf codec for built-in kinds, and the media-type checks around it
// (kube-apiserver serves protobuf for built-ins only; custom resources stay JSON).
import { discoveryFields, discoverySchemas } from '../../apimachinery/protobuf/discovery-types.js';
import { fieldTable, ProtobufCodec, protobufMediaType } from '../../apimachinery/protobuf/index.js';
import type { ResourceDef } from '../../apis/resource.js';
import { builtinSchemas } from '../openapi/schemas.js';

let codec: ProtobufCodec | undefined;

export function builtinProtobuf(): ProtobufCodec {
  codec ??= new ProtobufCodec({ ...builtinSchemas(), ...discoverySchemas }, { ...fieldTable(), ...discoveryFields });
  return codec;
}

/** Built-in kinds have a protobuf form; custom resources (a CRD's own schema) do not. */
export function servesProtobuf(def: ResourceDef): boolean {
  return !def.schema && !!def.schemaName && builtinProtobuf().has(def.schemaName);
}

export function isProtobuf(mediaType: string): boolean {
  return mediaType === protobufMediaType;
}
