"""The library's sentence encoder (``course_lib.encoder``): lazy, shared on request, thread-safe."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from course_lib.encoder import SentenceEncoder, default_encoder


def test_is_the_encoder_loaded_only_when_first_used():
    enc = SentenceEncoder(threads=1)
    assert not enc.loaded
    assert enc.encode([]).shape == (0, 512) and not enc.loaded
    enc.encode(["hola"])
    assert enc.loaded


def test_is_default_encoder_one_explicit_instance():
    assert default_encoder() is default_encoder()
    assert SentenceEncoder() is not default_encoder()


def test_does_a_paraphrase_score_higher_than_an_unrelated_question():
    a, b, c = default_encoder().encode(["¿Cuánto cuesta el envío a Canarias?",
                                        "¿Qué precio tiene enviar un pedido a Canarias?",
                                        "¿Cómo cambio la contraseña de mi cuenta?"])
    assert float(a @ b) > 0.6 > float(a @ c)
    assert np.allclose(np.linalg.norm([a, b, c], axis=1), 1.0, atol=1e-5)


def test_do_threads_sharing_the_encoder_get_the_same_vectors():
    texts = [f"pregunta número {i} sobre devoluciones" for i in range(8)]
    alone = default_encoder().encode(texts)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: default_encoder().encode([t])[0], texts))
    assert np.allclose(alone, np.stack(together), atol=1e-5)


@pytest.mark.parametrize("bad", [0, True, "2"])
def test_is_a_bad_thread_count_refused_in_spanish(bad):
    with pytest.raises(ValueError, match="entero"):
        SentenceEncoder(threads=bad)


def test_does_the_simulator_embed_with_the_library_encoder(sim):
    text = "Plazo de devolución de un producto"
    got = np.array(sim.embeddings.create(model="text-embedding-3-large", input=text,
                                         dimensions=512, encoding_format="float").data[0].embedding)
    from course_lib.simulator.embeddings import project
    assert np.allclose(got, project(default_encoder().encode([text]), "text-embedding-3-large", 512)[0],
                       atol=1e-5)
