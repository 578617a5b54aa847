import type { ApplicationView, ApplicationsView } from './instance.codec.js';
import type { InstanceFragments, WireFormat } from './instance-fragments.js';
import { PayloadWriter } from './payload-writer.js';
import { XML_DECLARATION, escapeXml } from './xml.codec.js';

const COMMA = Buffer.from(',');

/**
 * `{"applications":...}` (full fetch or delta) and `{"application":...}`
 * as concatenations of cached instance fragments: byte for byte what
 * encodeApplications / encodeApplication + JSON.stringify or encodeXml
 * produce (applications-payload.spec.ts checks that), measured and ready
 * to be copied out whole or streamed.
 */
export class ApplicationsPayload {
  constructor(private readonly fragments: InstanceFragments) {}

  applications(view: ApplicationsView, format: WireFormat): PayloadWriter {
    const out = new PayloadWriter();
    if (format === 'json') {
      out.text(
        `{"applications":{"versions__delta":${JSON.stringify(String(view.versionsDelta))},` +
          `"apps__hashcode":${JSON.stringify(view.appsHashcode)},"application":[`,
      );
      view.applications.forEach((application, i) => this.application(i === 0 ? out : out.bytes(COMMA), application, format));
      return out.text(']}}');
    }
    out.text(
      `${XML_DECLARATION}<applications><versions__delta>${view.versionsDelta}</versions__delta>` +
        `<apps__hashcode>${escapeXml(view.appsHashcode)}</apps__hashcode>`,
    );
    for (const application of view.applications) this.application(out, application, format);
    return out.text('</applications>');
  }

  singleApplication(application: ApplicationView, format: WireFormat): PayloadWriter {
    const out = new PayloadWriter().text(format === 'json' ? '{"application":' : XML_DECLARATION);
    return this.application(out, application, format).text(format === 'json' ? '}' : '');
  }

  private application(out: PayloadWriter, application: ApplicationView, format: WireFormat): PayloadWriter {
    const json = format === 'json';
    out.text(json ? `{"name":${JSON.stringify(application.name)},"instance":[` : `<application><name>${escapeXml(application.name)}</name>`);
    application.instances.forEach((instance, i) => {
      if (json && i > 0) out.bytes(COMMA);
      out.fragment(this.fragments.of(instance, format), instance.leaseInfo.lastRenewalTimestamp);
    });
    return out.text(json ? ']}' : '</application>');
  }
}
