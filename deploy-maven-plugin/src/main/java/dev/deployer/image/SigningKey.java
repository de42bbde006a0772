package dev.deployer.image;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * ECDSA P-256 keys in PEM, as cosign uses them for key-based signing: the private key from
 * {@code DEPLOYER_SIGNING_KEY} (PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, unencrypted; held in memory
 * only), the public key ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo) for verifying. PEM parsing by BouncyCastle
 * (already in the plugin through docker-java), signatures by the JDK ({@code SHA256withECDSA}, ASN.1 DER, which is
 * cosign's encoding).
 */
public final class SigningKey {

    /** The environment variable that holds the private key. */
    public static final String ENV = "DEPLOYER_SIGNING_KEY";

    private final PrivateKey key;

    private SigningKey(PrivateKey key) {
        this.key = key;
    }

    /** Parses the private key; the message never contains the key. */
    public static SigningKey parse(Secret pem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem.reveal()))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            parsed = null;
        }
        PrivateKey key = null;
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (parsed instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            key = null;
        }
        if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new DeployerException(ENV + " is not an unencrypted ECDSA P-256 private key in PEM", ENV,
                    "make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing.pem"
                            + " (and openssl pkey -in signing.pem -pubout -out signing.pub for deployer.verify.publicKey);"
                            + " put the PEM text into the secret, never into the repository");
        }
        return new SigningKey(key);
    }

    /** The PEM public key ({@code deployer.verify.publicKey}): its text, or {@code file:path}-less raw PEM only. */
    public static PublicKey publicKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed instanceof SubjectPublicKeyInfo info) {
                PublicKey key = new JcaPEMKeyConverter().getPublicKey(info);
                if (key instanceof ECPublicKey) {
                    return key;
                }
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new DeployerException("deployer.verify.publicKey is not an ECDSA public key in PEM (-----BEGIN PUBLIC"
                + " KEY-----)", "deployer.verify.publicKey",
                "give the public half of the signing key: openssl pkey -in signing.pem -pubout");
    }

    /** The public half (Q = d·G on P-256), to recognise signatures this key already made. */
    PublicKey publicKey() {
        ECPrivateKey ec = (ECPrivateKey) key;
        org.bouncycastle.math.ec.ECPoint q = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("secp256r1").getG()
                .multiply(ec.getS()).normalize();
        try {
            return java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(
                    new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    ec.getParams()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 public key", e);
        }
    }

    /** An ASN.1 DER ECDSA signature of {@code payload} (SHA-256). */
    byte[] sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(payload);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw DeployerException.of("Signing failed: " + e.getClass().getSimpleName(), "check " + ENV);
        }
    }

    /** Whether {@code signature} (DER) is {@code key}'s signature of {@code payload}. */
    static boolean verify(PublicKey key, byte[] payload, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + Secret.REDACTED + "]";
    }
}
