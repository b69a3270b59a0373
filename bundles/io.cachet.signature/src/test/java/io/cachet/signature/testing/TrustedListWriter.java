package io.cachet.signature.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import io.cachet.api.signature.Level;
import io.cachet.api.signature.Packaging;
import io.cachet.api.signature.SignOptions;
import io.cachet.signature.launch.Signatures;
import io.cachet.api.signature.SigningKey;

/**
 * Writes an ETSI TS 119 612 trusted list (version 5, as the EU member states publish them) naming one qualified CA
 * for e-seals, and signs it with XAdES enveloped, as a scheme operator does: the test data for trusted list support.
 */
public final class TrustedListWriter {

    private TrustedListWriter() {
    }

    /**
     * @param file where the signed list goes
     * @param qualifiedCa the CA/QC service's certificate
     * @param signer the scheme operator's key
     * @param nextUpdate the list's next update (in the past: an expired list)
     */
    public static Path write(Path file, X509Certificate qualifiedCa, SigningKey signer, Instant nextUpdate)
            throws Exception {
        Instant issued = nextUpdate.minus(180, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" \
                xmlns:tslx="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#" \
                Id="tsl" TSLTag="http://uri.etsi.org/19612/TSLTag">
                  <tsl:SchemeInformation>
                    <tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
                    <tsl:TSLSequenceNumber>1</tsl:TSLSequenceNumber>
                    <tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>
                    <tsl:SchemeOperatorName><tsl:Name xml:lang="en">Cachet Test Supervisory Body</tsl:Name></tsl:SchemeOperatorName>
                    <tsl:SchemeOperatorAddress>
                      <tsl:PostalAddresses><tsl:PostalAddress xml:lang="en"><tsl:StreetAddress>1 rue de Test</tsl:StreetAddress>\
                <tsl:Locality>Paris</tsl:Locality><tsl:PostalCode>75001</tsl:PostalCode><tsl:CountryName>FR</tsl:CountryName>\
                </tsl:PostalAddress></tsl:PostalAddresses>
                      <tsl:ElectronicAddress><tsl:URI xml:lang="en">mailto:tl@example.fr</tsl:URI></tsl:ElectronicAddress>
                    </tsl:SchemeOperatorAddress>
                    <tsl:SchemeName><tsl:Name xml:lang="en">FR:Trusted list of the test scheme</tsl:Name></tsl:SchemeName>
                    <tsl:SchemeInformationURI><tsl:URI xml:lang="en">https://tl.example.fr/</tsl:URI></tsl:SchemeInformationURI>
                    <tsl:StatusDeterminationApproach>http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate</tsl:StatusDeterminationApproach>
                    <tsl:SchemeTypeCommunityRules><tsl:URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon</tsl:URI></tsl:SchemeTypeCommunityRules>
                    <tsl:SchemeTerritory>FR</tsl:SchemeTerritory>
                    <tsl:PolicyOrLegalNotice><tsl:TSLLegalNotice xml:lang="en">Test list.</tsl:TSLLegalNotice></tsl:PolicyOrLegalNotice>
                    <tsl:HistoricalInformationPeriod>65535</tsl:HistoricalInformationPeriod>
                    <tsl:ListIssueDateTime>%s</tsl:ListIssueDateTime>
                    <tsl:NextUpdate><tsl:dateTime>%s</tsl:dateTime></tsl:NextUpdate>
                  </tsl:SchemeInformation>
                  <tsl:TrustServiceProviderList>
                    <tsl:TrustServiceProvider>
                      <tsl:TSPInformation>
                        <tsl:TSPName><tsl:Name xml:lang="en">Cachet Test Trust Services</tsl:Name></tsl:TSPName>
                        <tsl:TSPAddress>
                          <tsl:PostalAddresses><tsl:PostalAddress xml:lang="en"><tsl:StreetAddress>2 rue de Test</tsl:StreetAddress>\
                <tsl:Locality>Paris</tsl:Locality><tsl:PostalCode>75002</tsl:PostalCode><tsl:CountryName>FR</tsl:CountryName>\
                </tsl:PostalAddress></tsl:PostalAddresses>
                          <tsl:ElectronicAddress><tsl:URI xml:lang="en">https://tsp.example.fr/</tsl:URI></tsl:ElectronicAddress>
                        </tsl:TSPAddress>
                        <tsl:TSPInformationURI><tsl:URI xml:lang="en">https://tsp.example.fr/</tsl:URI></tsl:TSPInformationURI>
                      </tsl:TSPInformation>
                      <tsl:TSPServices>
                        <tsl:TSPService>
                          <tsl:ServiceInformation>
                            <tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</tsl:ServiceTypeIdentifier>
                            <tsl:ServiceName><tsl:Name xml:lang="en">Cachet Qualified Seal CA</tsl:Name></tsl:ServiceName>
                            <tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>%s</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>
                            <tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</tsl:ServiceStatus>
                            <tsl:StatusStartingTime>%s</tsl:StatusStartingTime>
                            <tsl:ServiceInformationExtensions>
                              <tsl:Extension Critical="false"><tsl:AdditionalServiceInformation>\
                <tsl:URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals</tsl:URI>\
                </tsl:AdditionalServiceInformation></tsl:Extension>
                            </tsl:ServiceInformationExtensions>
                          </tsl:ServiceInformation>
                        </tsl:TSPService>
                      </tsl:TSPServices>
                    </tsl:TrustServiceProvider>
                  </tsl:TrustServiceProviderList>
                </tsl:TrustServiceStatusList>
                """.formatted(issued, nextUpdate.truncatedTo(ChronoUnit.SECONDS), base64(qualifiedCa),
                issued.minus(365, ChronoUnit.DAYS));
        Path unsigned = Files.writeString(file.resolveSibling(file.getFileName() + ".unsigned.xml"), xml);
        Signatures.signer().sign(unsigned, file, signer,
                SignOptions.xades(Packaging.ENVELOPED, Level.B).withRevocationCheck(false));
        Files.delete(unsigned);
        return file;
    }

    private static String base64(X509Certificate c) throws CertificateEncodingException {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }
}
