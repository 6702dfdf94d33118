import * as v from 'valibot';
import type { DeviceService } from '../../devices/index.js';
import { defineRoute, type AnyRoute } from '../api.js';
import {
  DeviceDetailSchema,
  DeviceSchema,
  RegisteredDeviceSchema,
  serializeDetail,
  serializeDevice,
  serializeRegistered,
} from '../serializers.js';

const IdParams = v.object({ id: v.pipe(v.string(), v.uuid('must be a device id (a UUID)')) });

const NewDevice = v.strictObject({
  name: v.pipe(
    v.string('must be a string'),
    v.description('2–40 lower-case letters, digits and dashes; becomes <name>.<root domain>'),
  ),
});

/** Registration and administration of devices: `/api/v2/admin/devices`. */
export function deviceRoutes(devices: DeviceService): AnyRoute[] {
  return [
    defineRoute<unknown, v.InferOutput<typeof NewDevice>>({
      method: 'post',
      path: '/api/v2/admin/devices',
      operationId: 'createDevice',
      summary: 'Register a device; answers its id, domain and token (shown once)',
      tag: 'devices',
      access: ['admin', 'registrar'],
      body: NewDevice,
      responses: {
        201: { description: 'Registered', schema: RegisteredDeviceSchema },
        409: { description: 'The name is taken' },
      },
      handle: async ({ body }) => ({
        status: 201,
        body: serializeRegistered(await devices.register(body.name)),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v2/admin/devices',
      operationId: 'listDevices',
      summary: 'List devices with pending mail, users and last sync',
      tag: 'devices',
      access: ['admin', 'registrar'],
      responses: {
        200: { description: 'Every device', schema: v.object({ devices: v.array(DeviceSchema) }) },
      },
      handle: async () => ({ status: 200, body: { devices: (await devices.list()).map(serializeDevice) } }),
    }),
    defineRoute<v.InferOutput<typeof IdParams>, unknown>({
      method: 'get',
      path: '/api/v2/admin/devices/{id}',
      operationId: 'getDevice',
      summary: 'One device with its figures: syncs (bytes up/down) and emails in/out per day',
      tag: 'devices',
      access: ['admin', 'registrar'],
      params: IdParams,
      responses: {
        200: { description: 'The device', schema: DeviceDetailSchema },
        404: { description: 'No such device' },
      },
      handle: async ({ params }) => ({ status: 200, body: serializeDetail(await devices.get(params.id)) }),
    }),
    defineRoute<v.InferOutput<typeof IdParams>, unknown>({
      method: 'delete',
      path: '/api/v2/admin/devices/{id}',
      operationId: 'deleteDevice',
      summary: 'Delete a device, its pending mail and (with Cloudflare) its MX record',
      tag: 'devices',
      access: ['admin'],
      params: IdParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such device' } },
      handle: async ({ params }) => {
        await devices.remove(params.id);
        return { status: 204 };
      },
    }),
    defineRoute<v.InferOutput<typeof IdParams>, unknown>({
      method: 'post',
      path: '/api/v2/admin/devices/{id}/token',
      operationId: 'rotateDeviceToken',
      summary: 'Replace the device token; the old one stops working at once',
      tag: 'devices',
      access: ['admin'],
      params: IdParams,
      responses: {
        200: { description: 'The new token (shown once)', schema: RegisteredDeviceSchema },
        404: { description: 'No such device' },
      },
      handle: async ({ params }) => ({
        status: 200,
        body: serializeRegistered(await devices.rotateToken(params.id)),
      }),
    }),
  ];
}
