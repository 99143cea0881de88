// wobserver in a NestJS application (on its default Express platform), under /wobserver.
// Plain JavaScript: the decorators are applied as functions.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createWobserver, expressMiddleware } from 'wobserver';

class AppController {
  hello() {
    return 'hello from nestjs';
  }
}
Controller()(AppController);
Get()(AppController.prototype, 'hello', Object.getOwnPropertyDescriptor(AppController.prototype, 'hello'));

class AppModule {}
Module({ controllers: [AppController] })(AppModule);

const wob = createWobserver({ prefix: '/wobserver' });
const app = await NestFactory.create(AppModule, { logger: false });
app.use(expressMiddleware(wob));
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
wob.attach(app.getHttpServer());
console.log(await app.getUrl());
