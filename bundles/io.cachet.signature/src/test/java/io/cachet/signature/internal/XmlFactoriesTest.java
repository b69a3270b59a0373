package io.cachet.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import eu.europa.esig.dss.xml.common.XmlDefinerUtils;
import eu.europa.esig.dss.xml.utils.DomUtils;

/** DSS's XML factories, made once per thread by {@link XmlFactories}, keep every protection DSS gives them. */
class XmlFactoriesTest {

    @Test
    void eachThreadReusesItsOwnFactories() throws Exception {
        XmlFactories.install();
        XmlDefinerUtils xml = XmlDefinerUtils.getInstance();
        DocumentBuilderFactory documents = xml.getSecureDocumentBuilderFactory();
        TransformerFactory transformers = xml.getSecureTransformerFactory();
        assertSame(documents, xml.getSecureDocumentBuilderFactory());
        assertSame(transformers, xml.getSecureTransformerFactory());
        DocumentBuilderFactory elsewhere = CompletableFuture.supplyAsync(xml::getSecureDocumentBuilderFactory).get();
        assertNotSame(documents, elsewhere);
    }

    @Test
    void theReusedFactoryStillRefusesDoctypesAndExternalEntities() throws Exception {
        XmlFactories.install();
        DocumentBuilderFactory factory = XmlDefinerUtils.getInstance().getSecureDocumentBuilderFactory();
        assertTrue(factory.getFeature("http://apache.org/xml/features/disallow-doctype-decl"));
        for (int i = 0; i < 2; i++) { // the first use makes the factory, the second reuses it
            javax.xml.parsers.DocumentBuilder parser = XmlDefinerUtils.getInstance().getSecureDocumentBuilderFactory()
                    .newDocumentBuilder();
            parser.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() { // throws, instead of printing
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
                    throw e;
                }
            });
            String hostile = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
            org.xml.sax.SAXParseException refused = assertThrows(org.xml.sax.SAXParseException.class,
                    () -> parser.parse(new java.io.ByteArrayInputStream(hostile.getBytes(StandardCharsets.UTF_8))));
            assertTrue(refused.getMessage().contains("DOCTYPE"), refused.getMessage());
            Document plain = DomUtils.buildDOM("<a xmlns=\"urn:x\"><b/></a>".getBytes(StandardCharsets.UTF_8));
            assertEquals("urn:x", plain.getDocumentElement().getNamespaceURI());
        }
    }
}
