import { Duration, Stack } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { feedFormats } from '../lambda/core/render/formats.ts';
import { acknowledge } from './nag.ts';

export interface DistributionOptions {
  readonly domainName?: string;
  readonly certificate?: acm.ICertificate;
}

/** CloudFront in front of the feeds bucket: HTTPS only, security headers, CORS for the formats read across origins, caching by Cache-Control. */
/** Where CloudFront's standard logs go in the log bucket: what the statistics read. */
export const cloudFrontLogPrefix = 'cloudfront/';

export function createDistribution(
  scope: Construct,
  feedsBucket: s3.IBucket,
  logBucket: s3.IBucket,
  props: DistributionOptions,
): cloudfront.Distribution {
  // CloudFront names are account-wide, across regions: each carries the stack and the region, so
  // the same stack deploys to a second region.
  const { stackName, region } = Stack.of(scope);
  const globalName = (what: string) => `${stackName}-${what}-${region}`;
  const origin = origins.S3BucketOrigin.withOriginAccessControl(feedsBucket, {
    originAccessControl: new cloudfront.S3OriginAccessControl(scope, 'FeedsOriginAccessControl', {
      originAccessControlName: globalName('feeds'),
    }),
  });
  // Honour each object's Cache-Control: current feeds minutes, archive pages a day.
  const cachePolicy = new cloudfront.CachePolicy(scope, 'FeedCachePolicy', {
    cachePolicyName: globalName('cache'),
    comment: 'Keyed on the path only; TTL from the object Cache-Control',
    defaultTtl: Duration.minutes(5),
    minTtl: Duration.seconds(0),
    maxTtl: Duration.days(365),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
  });
  const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
    strictTransportSecurity: {
      accessControlMaxAge: Duration.days(365),
      includeSubdomains: true,
      override: true,
    },
    contentTypeOptions: { override: true },
    referrerPolicy: {
      referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
      override: true,
    },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    contentSecurityPolicy: {
      contentSecurityPolicy:
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      override: true,
    },
  };
  const headersPolicy = new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    responseHeadersPolicyName: globalName('security-headers'),
    comment: 'Security headers for every response',
    securityHeadersBehavior: securityHeaders,
  });
  // Web-based readers fetch some formats (JSON Feed) from other origins. The id and name keep
  // what they were first called: renaming a named policy replaces it, and the new name would clash.
  const crossOriginHeadersPolicy = new cloudfront.ResponseHeadersPolicy(scope, 'JsonFeedHeaders', {
    responseHeadersPolicyName: globalName('json-feed-headers'),
    comment: 'Security headers and CORS GET for feeds read across origins',
    securityHeadersBehavior: securityHeaders,
    corsBehavior: {
      accessControlAllowOrigins: ['*'],
      accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
      accessControlAllowHeaders: ['*'],
      accessControlAllowCredentials: false,
      accessControlMaxAge: Duration.days(1),
      originOverride: true,
    },
  });
  // A category and an article page answer at their folders (/categories/world/, /articles/<id>/):
  // S3 has no folder index, so the viewer request is given the folder's index.html, and a folder
  // asked without its slash is sent to it with one. Archive folders hold only feeds and keep answering 404 at the folder.
  const folderIndex = new cloudfront.Function(scope, 'FolderIndex', {
    functionName: globalName('folder-index'),
    comment: 'Serve index.html for category and article folders',
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    code: cloudfront.FunctionCode.fromInline(folderIndexCode),
  });
  const behavior = {
    origin,
    functionAssociations: [{ function: folderIndex, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    compress: true,
    cachePolicy,
  };
  const distribution = new cloudfront.Distribution(scope, 'Distribution', {
    comment: `Feeds of ${Stack.of(scope).stackName}`,
    defaultRootObject: 'index.html',
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    enableLogging: true,
    logBucket,
    logFilePrefix: cloudFrontLogPrefix,
    ...(props.domainName && props.certificate
      ? {
          domainNames: [props.domainName],
          certificate: props.certificate,
          minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        }
      : {}),
    defaultBehavior: { ...behavior, responseHeadersPolicy: headersPolicy },
    additionalBehaviors: Object.fromEntries(
      feedFormats
        .filter((format) => format.crossOrigin)
        .map((format) => [
          `*/${format.fileName}`,
          { ...behavior, responseHeadersPolicy: crossOriginHeadersPolicy },
        ]),
    ),
  });
  acknowledge(distribution, {
    'AwsSolutions-CFR1':
      'Feeds are public news syndication meant for readers everywhere; no geo restriction applies.',
    'AwsSolutions-CFR2':
      'Only static, public feed files are served (GET/HEAD); there is no input for a WAF to inspect, and a web ACL costs more than the whole stack.',
  });
  if (!props.domainName) {
    acknowledge(distribution, {
      'AwsSolutions-CFR4':
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be set; set domainName and certificate to get TLSv1.2_2021.',
    });
  }
  return distribution;
}

/** The viewer-request function's source (cloudfront-js-2.0): folder URIs get their index.html. */
export const folderIndexCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (/^\\/(categories|articles)\\/[^/.]+$/.test(uri)) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  }
  return request;
}`;
