"""`lesionlab train` and `lesionlab generate`: train a generative model, sample from one."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from engine.cli.errors import user_errors

OUTPUT_FORMATS = ("png", "isic2024", "ham10000")


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("generate")(generate)


@user_errors
def train(
    model: str = typer.Option("gan", help="gan, deconv or auditor."),
    data: Path = typer.Option(..., help="Training data set folder."),
    format: str = typer.Option("isic2024", "--format", help="Data set format (see `info`)."),
    out: Path = typer.Option(..., help="Run folder: checkpoints, config.json, logs, samples."),
    size: int = typer.Option(128, help="Image side in pixels."),
    batch: int = typer.Option(16, help="Images per step."),
    steps: int = typer.Option(None, help="Total training steps (or give --epochs)."),
    epochs: float = typer.Option(None, help="Passes over the data (instead of --steps)."),
    seed: int = typer.Option(0, help="Seed of weights, batches, noise and augmentation."),
    resume: bool = typer.Option(False, help="Continue the run in --out with its settings."),
    init_from: Path = typer.Option(None, help="Fine-tune: start from this trained model "
                                   "folder, with its architecture, recipe and encoder."),
    strategy: str = typer.Option("auto", help="auto or mirrored (every GPU or CPU device)."),
    mixed_precision: bool = typer.Option(False, help="bfloat16 compute, float32 weights."),
    balanced: bool = typer.Option(False, help="Sample every diagnosis equally often."),
    learning_rate_g: float = typer.Option(None, help="Generator learning rate (default: "
                                          "the recipe's, or the --init-from model's)."),
    learning_rate_d: float = typer.Option(None, help="Discriminator learning rate."),
    d_channel_base: int = typer.Option(None, help="GAN discriminator width: channels at "
                                       "resolution r = base / r (default: the recipe's; the "
                                       "shipped GAN, trained on a GPU: 6144)."),
    loss: str = typer.Option(None, help="GAN loss: hinge or nonsaturating (default: the "
                             "recipe's)."),
    augment: str = typer.Option(None, help="GAN DiffAugment policy: comma-separated color, "
                                "translation, cutout, or none (default: the recipe's)."),
    mismatch_weight: float = typer.Option(None, help="GAN: weight of real images under "
                                          "another image's profile, scored as fake by the "
                                          "discriminator (0 = off; default: the recipe's)."),
    d_warmup_steps: int = typer.Option(None, help="GAN: steps at the start in which only the "
                                       "discriminator learns (warms up a fresh one before it "
                                       "trains an --init-from generator)."),
    limit: int = typer.Option(None, help="Use only the first N images."),
    checkpoint_every: int = typer.Option(250, help="Steps between checkpoints."),
    sample_every: int = typer.Option(250, help="Steps between sample grids."),
    log_every: int = typer.Option(25, help="Steps between log rows."),
) -> None:
    """Train a conditional GAN, the Conv2DTranspose baseline or the auditor classifier."""
    from dataclasses import replace

    gan_settings = {name: value for name, value in (
        ("d_channel_base", d_channel_base), ("loss", loss), ("augment", augment),
        ("mismatch_weight", mismatch_weight), ("d_warmup_steps", d_warmup_steps))
        if value is not None}
    if gan_settings and model != "gan":
        option = "--" + next(iter(gan_settings)).replace("_", "-")
        raise ValueError(f"{option} is a GAN setting (its discriminator's); a {model} "
                         "has no discriminator")
    if gan_settings.get("augment", "").strip().lower() == "none":
        gan_settings["augment"] = ""
    if model == "auditor":
        _train_auditor(data=data, format=format, out=out, size=size, epochs=epochs,
                       limit=limit, seed=seed)
        return

    from engine.conditioning import ConditionEncoder
    from engine.nets.checkpoints import read_config
    from engine.training import RunOptions, TrainConfig
    from engine.training import train as run_training
    from engine.training_data import load_training_data

    if (steps is None) == (epochs is None) and not resume:
        raise ValueError("give exactly one of --steps and --epochs")
    if resume and init_from is not None:
        raise ValueError("--init-from starts a new run; --resume continues one: give one")
    chosen = dict(model=model, size=size, batch=batch, steps=steps or 1, seed=seed,
                  balanced=balanced, mixed_precision=mixed_precision)
    chosen.update({name: value for name, value in (("learning_rate_g", learning_rate_g),
                                                   ("learning_rate_d", learning_rate_d))
                   if value is not None}, **gan_settings)
    encoder = None
    if resume:
        saved = read_config(out)
        config = TrainConfig.from_json(saved["training"])
        if steps is not None:
            config = replace(config, steps=steps)
        if config.init_from:  # a fine-tuning run keeps its model's encoder
            encoder = ConditionEncoder.from_json(saved["encoder"])
    elif init_from is not None:
        base = read_config(init_from)
        config = TrainConfig.from_json({**base["training"], **chosen,
                                        "init_from": str(init_from)})
        encoder = ConditionEncoder.from_json(base["encoder"])
    else:
        config = TrainConfig(**chosen)
    training_data = load_training_data(data, format=format, size=config.size, limit=limit,
                                       encoder=encoder)
    if epochs is not None:
        config = replace(config, steps=max(1, math.ceil(epochs * len(training_data.images)
                                                        / config.batch)))
    options = RunOptions(checkpoint_every=checkpoint_every, sample_every=sample_every,
                         log_every=log_every, strategy=strategy, model_id=out.name)
    typer.echo(f"{config.model}: {training_data.source}, {config.steps} steps of "
               f"{config.batch} at {config.size} px -> {out}")
    result = run_training(config, training_data, out, resume=resume, options=options)
    typer.echo(f"done: step {result.step} in {result.seconds:.0f} s; checkpoint in {out}")


def _train_auditor(*, data: Path, format: str, out: Path, size: int, epochs: float | None,
                   limit: int | None, seed: int) -> None:
    """The auditor trains by epochs and resumes from its folder on its own."""
    from engine.nets.auditor import AuditorConfig, train_auditor

    config = AuditorConfig(input_size=size,
                           epochs=math.ceil(epochs) if epochs else AuditorConfig.epochs)
    metrics = train_auditor(data=data, format=format, out=out, config=config, limit=limit,
                            seed=seed)
    validation = metrics["validation"]
    typer.echo(f"auditor: balanced accuracy {validation['balanced_accuracy']:.3f}, "
               f"malignant AUC {validation['malignant_auc']}; wrote {out}")


@user_errors
def generate(
    model: Path = typer.Option(..., help="Model folder (e.g. models/gan-128)."),
    n: int = typer.Option(16, "--n", help="How many images."),
    seed: int = typer.Option(0, help="Seed of profiles and noise."),
    out: Path = typer.Option(..., help="Output folder."),
    format: str = typer.Option("png", "--format", help="png, isic2024 or ham10000."),
    dx: str = typer.Option(None, help="Fix the diagnosis (akiec, bcc, bkl, df, mel, nv, vasc)."),
    age: int = typer.Option(None, help="Fix the age (years; stored in 5-year bins)."),
    sex: str = typer.Option(None, help="Fix the sex (male, female, unknown)."),
    site: str = typer.Option(None, help="Fix the site (HAM10000 or ISIC spelling)."),
    skin_type: int = typer.Option(None, help="Fix the Fitzpatrick skin type (1-6)."),
    diameter: float = typer.Option(None, help="Fix the diameter in mm."),
    class_mix: str = typer.Option("balanced", help="realistic or balanced."),
    truncation: float = typer.Option(
        1.0, help="0-1: below 1, images more typical of their profile and less varied."),
) -> None:
    """Generate lesion images from sampled (or partly fixed) patient profiles."""
    from engine.generator import LesionGenerator, write_generated
    from engine.profiles import ProfileSampler
    from engine.vocabulary import age_bin, normalise_sex, normalise_site

    if format not in OUTPUT_FORMATS:
        raise ValueError(f"--format {format!r} must be one of {', '.join(OUTPUT_FORMATS)}")
    if n < 1:
        raise ValueError("--n must be at least 1")
    fixed = {name: value for name, value in {
        "dx": dx, "age": None if age is None else age_bin(age),
        "sex": None if sex is None else normalise_sex(sex),
        "site": None if site is None else normalise_site(site),
        "skin_type": skin_type, "diameter_mm": diameter}.items() if value is not None}
    generator = LesionGenerator.load(model)
    profiles = ProfileSampler.default().sample(n=n, class_mix=class_mix, fixed=fixed,
                                               seed=seed)
    images = generator.generate(profiles, seed=seed, truncation=truncation)
    folder = write_generated(images, profiles, generator=generator, seed=seed, out=out,
                             format=format, truncation=truncation)
    typer.echo(f"wrote {n} images from {generator.model_id} {generator.version} to {folder}")
