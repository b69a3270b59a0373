package io.cachet.token.pkcs11.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.attrs.Attribute;
import org.xipki.pkcs11.wrapper.attrs.Attribute.AttrType;

import io.cachet.token.pkcs11.spi.Pkcs11Session;

/** A wrapper session lent to a profile. */
final class WrapperSession implements Pkcs11Session {

    private final Session session;
    private final long slotId;

    WrapperSession(Session session, long slotId) {
        this.session = session;
        this.slotId = slotId;
    }

    @Override
    public long slotId() {
        return slotId;
    }

    @Override
    public long[] findObjects(Map<Long, Object> template, int max) {
        AttributeVector attributes = new AttributeVector();
        template.forEach((type, value) -> {
            Object v = value;
            if (value instanceof String text) {
                if (!register(type, AttrType.CHARARRAY)) {
                    v = text.getBytes(StandardCharsets.UTF_8);
                }
            } else {
                register(type, value instanceof Boolean ? AttrType.BOOLEAN
                        : value instanceof Long ? AttrType.LONG : AttrType.BYTEARRAY);
            }
            attributes.attr(type, v);
        });
        try {
            return session.findObjectsSingle(attributes, max);
        } catch (PKCS11Exception e) {
            throw Errors.map(e, "Finding objects on slot " + slotId);
        }
    }

    @Override
    public Optional<byte[]> rawAttribute(long object, long type) {
        register(type, AttrType.BYTEARRAY);
        try {
            Attribute attribute = session.getAttrValues(object, type).getAttribute(type);
            if (attribute == null || !attribute.isPresent() || attribute.isSensitive()) {
                return Optional.empty();
            }
            Object value = attribute.getValue();
            return value instanceof byte[] bytes ? Optional.of(bytes.clone()) : Optional.empty();
        } catch (PKCS11Exception e) {
            throw Errors.map(e, "Reading attribute 0x" + Long.toHexString(type) + " on slot " + slotId);
        }
    }

    /**
     * The wrapper builds attributes from a static table of known types; vendor-defined types are added to it once.
     * The table is a plain map, hence the lock around additions.
     *
     * @return whether {@code type} is now known as {@code kind}
     */
    private static boolean register(long type, AttrType kind) {
        synchronized (Attribute.class) {
            return Attribute.putAttributeValueType(type, kind);
        }
    }
}
