import { AwsClient } from 'aws4fetch';
import type { TEnv } from '../env';
import { AppError } from '../errors';

/**
 * The S3(-compatible) bucket LiveKit Egress uploads recordings to (EGRESS_OUTPUT=s3). Convene never
 * proxies those bytes: a download is a redirect to a short-lived presigned URL (the object store
 * serves ranges itself), and deleting a recording deletes its object.
 */
export interface TObjectStoreConfig {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, R2…); unset = AWS. */
  endpoint?: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

/** How long a presigned download link stays valid. */
export const PRESIGNED_URL_SECONDS = 300;

export class S3ObjectStore {
  private readonly client: AwsClient;

  constructor(private readonly config: TObjectStoreConfig) {
    this.client = new AwsClient({
      accessKeyId: config.accessKey,
      secretAccessKey: config.secret,
      region: config.region,
      service: 's3',
    });
  }

  /** URL of an object, path-style (`<endpoint>/<bucket>/<key>`) or virtual-hosted. */
  objectUrl(key: string): URL {
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    const { bucket, region, endpoint, forcePathStyle } = this.config;
    if (endpoint) {
      const base = new URL(endpoint);
      return forcePathStyle
        ? new URL(`${base.origin}/${bucket}/${encodedKey}`)
        : new URL(`${base.protocol}//${bucket}.${base.host}/${encodedKey}`);
    }
    return new URL(`https://${bucket}.s3.${region}.amazonaws.com/${encodedKey}`);
  }

  /**
   * The object key of a recording's stored location — what Egress reported (the object's URL, in
   * either addressing style, or `s3://bucket/key`) — or null when it is not in this bucket.
   */
  keyOf(location: string): string | null {
    const { bucket } = this.config;
    if (location.startsWith(`s3://${bucket}/`)) return location.slice(`s3://${bucket}/`.length) || null;
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return null;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (url.hostname.startsWith(`${bucket}.`)) return path || null;
    if (path.startsWith(`${bucket}/`)) return path.slice(bucket.length + 1) || null;
    return null;
  }

  /** A GET URL valid for PRESIGNED_URL_SECONDS that makes the browser save/play it under `fileName`. */
  async presignedGet(key: string, fileName: string, disposition: 'inline' | 'attachment'): Promise<string> {
    const url = this.objectUrl(key);
    url.searchParams.set('X-Amz-Expires', String(PRESIGNED_URL_SECONDS));
    url.searchParams.set(
      'response-content-disposition',
      `${disposition}; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
    );
    const signed = await this.client.sign(url.toString(), { method: 'GET', aws: { signQuery: true } });
    return signed.url;
  }

  /** Deletes an object; one that is already gone is fine. */
  async delete(key: string): Promise<void> {
    const res = await this.client.fetch(this.objectUrl(key).toString(), { method: 'DELETE' });
    if (!res.ok && res.status !== 404) {
      throw new AppError('INTERNAL', `The object store refused to delete the recording (${res.status}).`);
    }
  }
}

/** The bucket of EGRESS_OUTPUT=s3 with its credentials, or null when recordings are not in S3. */
export function objectStoreFromEnv(env: TEnv): S3ObjectStore | null {
  if (env.EGRESS_OUTPUT !== 's3' || !env.EGRESS_S3_BUCKET) return null;
  if (!env.EGRESS_S3_ACCESS_KEY || !env.EGRESS_S3_SECRET) return null;
  return new S3ObjectStore({
    bucket: env.EGRESS_S3_BUCKET,
    region: env.EGRESS_S3_REGION ?? 'us-east-1',
    endpoint: env.EGRESS_S3_ENDPOINT,
    accessKey: env.EGRESS_S3_ACCESS_KEY,
    secret: env.EGRESS_S3_SECRET,
    forcePathStyle: env.EGRESS_S3_FORCE_PATH_STYLE ?? false,
  });
}

const stores = new WeakMap<TEnv, S3ObjectStore | null>();

/** objectStoreFromEnv, built once per parsed env (one per process). */
export function objectStoreFor(env: TEnv): S3ObjectStore | null {
  if (!stores.has(env)) stores.set(env, objectStoreFromEnv(env));
  return stores.get(env) ?? null;
}
