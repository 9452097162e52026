using System.Security.Cryptography;

namespace Smime.Tests.Cms;

/// <summary>
/// What the in-place encryption and decryption rest on: .NET's AesGcm, ChaCha20Poly1305 and
/// AES-CBC one-shots accept a destination that starts where the source does.
/// </summary>
public sealed class ContentCipherInPlaceTests
{
    [Fact]
    public void AesGcm_DestinationIsTheSource_SameAsSeparateBuffers()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] plaintext = RandomNumberGenerator.GetBytes(100_003);
        using var gcm = new AesGcm(key, 16);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        gcm.Encrypt(nonce, plaintext, ciphertext, tag);

        byte[] buffer = (byte[])plaintext.Clone();
        byte[] inPlaceTag = new byte[16];
        gcm.Encrypt(nonce, buffer, buffer, inPlaceTag);
        Assert.Equal(ciphertext, buffer);
        Assert.Equal(tag, inPlaceTag);

        gcm.Decrypt(nonce, buffer, tag, buffer);
        Assert.Equal(plaintext, buffer);
    }

    [Fact]
    public void ChaCha20Poly1305_DestinationIsTheSource_SameAsSeparateBuffers()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] plaintext = RandomNumberGenerator.GetBytes(70_001);
        using var chacha = new ChaCha20Poly1305(key);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        chacha.Encrypt(nonce, plaintext, ciphertext, tag);

        byte[] buffer = (byte[])ciphertext.Clone();
        chacha.Decrypt(nonce, buffer, tag, buffer);

        Assert.Equal(plaintext, buffer);
    }

    [Fact]
    public void AesGcm_InPlaceTagMismatch_BufferZeroed()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] buffer = RandomNumberGenerator.GetBytes(4096);
        byte[] tag = new byte[16];
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(nonce, buffer, buffer, tag);
        tag[0] ^= 1;

        Assert.Throws<AuthenticationTagMismatchException>(
            () => gcm.Decrypt(nonce, buffer, tag, buffer));

        Assert.True(buffer.AsSpan().IndexOfAnyExcept((byte)0) < 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(100_001)]
    public void AesCbc_DestinationStartsAtTheSource_SameAsSeparateBuffers(int length)
    {
        using Aes aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(32);
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        byte[] ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);

        // Encryption grows into the room after the content; decryption of the bulk (no
        // padding) writes over itself.
        byte[] buffer = new byte[ciphertext.Length];
        plaintext.CopyTo(buffer, 0);
        int written = aes.EncryptCbc(buffer.AsSpan(0, length), iv, buffer, PaddingMode.PKCS7);
        Assert.Equal(ciphertext.Length, written);
        Assert.Equal(ciphertext, buffer);

        aes.DecryptCbc(buffer, iv, buffer, PaddingMode.None);
        Assert.Equal(plaintext, buffer[..length]);
    }
}
